package interop;

import static org.assertj.core.api.Assertions.assertThat;

import interop.peer.GuestImage;
import interop.peer.GuestReport;
import interop.peer.Peers;
import interop.peer.Qemu;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The guest builder beyond the defaults, as a guest that drives a PCI function with VFIO needs it:
 * more modules, named as the kernel spells them (with hyphens), resolved with their dependencies
 * and loaded in order, in a guest without network.
 */
@ExtendWith(NoLeftovers.class)
class GuestImageIT {

    @Test
    void extraModulesLoadAfterTheirDependenciesInAGuestWithoutNetwork() {
        Peers.require(Peers.QEMU, Peers.GUEST_BUILD);
        GuestImage image = GuestImage.build(Path.of(System.getProperty(GuestImage.BUILDER_PROPERTY)),
                List.of("vfio-pci"), Duration.ofMinutes(5));
        List<String> order = image.modules();
        assertThat(order).contains("vfio.ko", "vfio_pci_core.ko", "vfio_pci.ko", "virtio_net.ko");
        assertThat(order.indexOf("vfio.ko")).isLessThan(order.indexOf("vfio_pci_core.ko"));
        assertThat(order.indexOf("vfio_pci_core.ko")).isLessThan(order.indexOf("vfio_pci.ko"));
        assertThat(order.indexOf("virtio_ring.ko")).isLessThan(order.indexOf("virtio.ko"));
        assertThat(order.indexOf("virtio.ko")).isLessThan(order.indexOf("virtio_net.ko"));

        try (Qemu qemu = Qemu.guest(image).kernelArg("busbar.iface=none")
                .script("say \"modules $(cut -d' ' -f1 /proc/modules | sed 's/^/loaded_/; s/$/=1/' | tr '\\n' ' ')\"")
                .lifetime(Duration.ofSeconds(120)).name("guest-vfio-modules").start()) {
            GuestReport report = qemu.awaitExit(Duration.ofSeconds(120));
            assertThat(report.errors()).isEmpty();
            assertThat(report.event("ready").value("iface")).isEqualTo("none");
            assertThat(report.event("modules").values()).containsKeys("loaded_vfio_pci", "loaded_vfio_pci_core",
                    "loaded_vfio", "loaded_virtio_net", "loaded_qemu_fw_cfg");
            assertThat(report.events("stat")).as("no interface, no counters").isEmpty();
        }
    }
}
