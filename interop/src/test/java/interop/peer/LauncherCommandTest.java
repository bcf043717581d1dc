package interop.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import interop.peer.Qemu.VhostUserNic;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command lines the launchers build (the ITs run them). */
class LauncherCommandTest {

    private static final GuestImage IMAGE = new GuestImage(Path.of("/g/vmlinux"), Path.of("/g/initrd.img"), "6.1.0-57-amd64", List.of());

    @Test
    void aGuestHasSharedMemoryNoDefaultNicAndIntxOnly() {
        List<String> command = Qemu.guest(IMAGE).nic(VhostUserNic.connect(Path.of("/s/v.sock")).queues(2).packed(true).mrgRxbuf(false))
                .ip("10.0.3.2/24").channels(2).command(Path.of("/t/script"));
        String line = String.join(" ", command);
        assertThat(line).contains("-object memory-backend-memfd,id=mem,size=256M,share=on -numa node,memdev=mem")
                .contains("-chardev socket,id=vu0,path=/s/v.sock,reconnect=1")
                .contains("-netdev vhost-user,id=net0,chardev=vu0,queues=2")
                .contains("-device virtio-net-pci,netdev=net0,romfile=,vectors=0,mac=52:54:00:12:34:56,packed=on,mrg_rxbuf=off,mq=on")
                .contains("-nodefaults").contains("-no-reboot").contains("-fw_cfg name=opt/busbar/script,file=/t/script")
                .contains("busbar.ip=10.0.3.2/24").contains("busbar.channels=2");
        assertThat(command).doesNotContain("-nic", "-net");
    }

    @Test
    void aListeningNicWaitsForItsBackend() {
        assertThat(String.join(" ", Qemu.guest(IMAGE).nic(VhostUserNic.connect(Path.of("/s/q.sock")).listening()).command(null)))
                .contains("-chardev socket,id=vu0,path=/s/q.sock,server=on,wait=on").doesNotContain("-fw_cfg");
    }

    @Test
    void userModeNetworkingIsRefused() {
        for (String[] args : List.of(new String[] {"-netdev", "user,id=n1"}, new String[] {"-nic", "user"},
                new String[] {"-netdev", "type=user,id=n1"})) {
            assertThatThrownBy(() -> Qemu.guest(IMAGE).args(args)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("user-mode network");
        }
        Qemu.guest(IMAGE).args("-netdev", "socket,id=n1,udp=127.0.0.1:5000,localaddr=127.0.0.1:5001");
    }

    @Test
    void testpmdRolesAndRings() {
        Path socket = Path.of("/s/v.sock");
        assertThat(Testpmd.virtioUser(socket).packed(true).queues(2).vdev())
                .isEqualTo("net_virtio_user0,path=/s/v.sock,queues=2,packed_vq=1");
        assertThat(Testpmd.virtioUser(socket).listen(true).mrgRxbuf(false).vdev())
                .isEqualTo("net_virtio_user0,path=/s/v.sock,queues=1,mrg_rxbuf=0,server=1");
        assertThat(Testpmd.vhost(socket).vdev()).isEqualTo("net_vhost0,iface=/s/v.sock,queues=1");
        assertThat(Testpmd.vhost(socket).listen(false).queues(2).vdev()).isEqualTo("net_vhost0,iface=/s/v.sock,queues=2,client=1");
        assertThatThrownBy(() -> Testpmd.vhost(socket).packed(true)).hasMessageContaining("virtio-user option");
    }

    @Test
    void testpmdRunsWithoutHugepagesOrPciUnderItsOwnPrefix() {
        String line = String.join(" ", Testpmd.vhost(Path.of("/s/v.sock")).lcores(1, 0).command("busbar-1-1"));
        assertThat(line).contains("--no-huge -m 512 --no-pci").contains("--file-prefix=busbar-1-1")
                .contains("-l 1,0 --main-lcore 1").contains("-- -i");
        assertThat(Testpmd.runtimeDirs("busbar-1-1")).contains(Path.of("/var/run/dpdk/busbar-1-1"));
    }
}
