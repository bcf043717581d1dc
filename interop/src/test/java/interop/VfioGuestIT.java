package interop;

import static org.assertj.core.api.Assertions.assertThat;

import interop.peer.Busbar;
import interop.peer.GuestEvent;
import interop.peer.GuestImage;
import interop.peer.GuestReport;
import interop.peer.Peers;
import interop.peer.Qemu;
import interop.peer.UdpNic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * busbar against hardware no one here wrote: QEMU's own virtio-net-pci device model, behind a
 * virtual IOMMU (intel-iommu) in a TCG guest, bound to the guest kernel's vfio-pci and driven by the
 * busbar runtime running inside that guest (the host's JDK and runtime jar over 9p, read-only; see
 * guest/vfio-runtime). The vfio provider registers the function, vdpa.hw.pci binds it, a vDPA
 * device is added and virtio.net brings up eth0; frames from net:pktgen leave through QEMU's UDP
 * netdev to a counter on the host, and ARP requests the host sends come back answered by the
 * responder on eth0: exact counts both ways. Then the vDPA device goes (its DMA mappings and MSI-X
 * vectors with it), the function is unbound, and pci.vfio stopped and started again finds it
 * again, which VFIO allows only once the previous group and device fds are closed.
 */
@ExtendWith(NoLeftovers.class)
class VfioGuestIT {

    static final List<String> MODULES = List.of("irqbypass", "vfio", "vfio_iommu_type1", "vfio_virqfd", "vfio-pci-core",
            "vfio-pci", "netfs", "fscache", "9pnet", "9pnet_virtio", "9p");
    static final String NIC_MAC = "52:54:00:12:34:56";
    static final byte[] NIC = {0x52, 0x54, 0, 0x12, 0x34, 0x56};
    static final byte[] HOST = {0x52, 0x54, 0, 0, 0, 1};
    static final int FRAMES = 21;
    static final Duration STEP = Duration.ofSeconds(60);
    /** The guest's bound: above the steps' own waits under load (the runtime alone starts in about 40 s under TCG). */
    static final Duration LIFETIME = Duration.ofMinutes(8);

    @Test
    void busbarInAGuestDrivesQemusVirtioNetThroughVfioFramesBothWaysAndEverythingIsReleased() throws Exception {
        Peers.require(Peers.QEMU, Peers.GUEST_BUILD);
        Path builder = Path.of(System.getProperty(GuestImage.BUILDER_PROPERTY));
        GuestImage image = GuestImage.build(builder, MODULES, Duration.ofMinutes(5));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path jar = Path.of(System.getProperty(Busbar.JAR_PROPERTY)).toAbsolutePath().normalize();
        // the guest mounts a tmpfs over the host's /tmp: what it runs must lie elsewhere
        assertThat(jar.startsWith("/tmp")).as("the runtime jar %s must not lie below /tmp", jar).isFalse();
        String script = "busbar_java=" + java + "\nbusbar_jar=" + jar + "\n"
                + Files.readString(builder.resolveSibling("vfio-runtime"));
        long start = System.nanoTime();
        try (UdpNic wire = UdpNic.open();
                Qemu qemu = Qemu.guest(image).accel("tcg,thread=multi").memoryMb(2048).cpus(2)
                        .kernelArg("intel_iommu=on").kernelArg("iommu=pt").kernelArg("busbar.iface=none")
                        // the IO-APIC timer check fails when TCG runs slowly (seen: a panic under load)
                        .kernelArg("no_timer_check")
                        .args("-machine", "q35", "-cpu", "max",
                                // before the NIC; caching-mode lets VFIO in the guest map through it
                                "-device", "intel-iommu,intremap=on,caching-mode=on",
                                "-netdev", wire.netdev("n1"),
                                "-device", "virtio-net-pci,netdev=n1,iommu_platform=on,disable-legacy=on,romfile=,addr=0x6,mac=" + NIC_MAC,
                                "-fsdev", "local,id=fs0,path=/,security_model=none,readonly=on,multidevs=remap",
                                "-device", "virtio-9p-pci,fsdev=fs0,mount_tag=hostroot")
                        .script(script).lifetime(LIFETIME).name("guest-vfio").start()) {
            GuestEvent bound = qemu.await(0, "vfio", STEP);
            String addr = bound.value("addr");
            assertThat(bound.value("driver")).isEqualTo("vfio-pci");
            Busbar busbar = Busbar.onConsole(qemu.process());

            String lspci = busbar.awaitShell("pci:lspci -v", out -> out.contains("Kernel driver in use: vp_vdpa"), Duration.ofSeconds(150));
            assertThat(lspci).contains(addr + " Ethernet controller [0200]: Red Hat, Inc. Device [1af4:1041]", "Provider: vfio",
                    "provider vfio: 1 function through VFIO");
            busbar.shell("vdpa:dev add name vdpa0 mgmtdev pci/" + addr, STEP);
            busbar.awaitShell("net:link", out -> out.contains("eth0: <UP>"), STEP);
            busbar.shell("net:addr eth0 10.0.3.1/24", STEP);

            busbar.shell("net:pktgen eth0 count " + FRAMES + " dst 52:54:00:00:00:01", STEP);
            assertThat(wire.await(0x88b5, FRAMES, STEP)).as("pktgen frames that reached the host").isEqualTo(FRAMES);
            byte[] request = UdpNic.arpRequest(NIC, HOST, new byte[] {10, 0, 3, 2}, new byte[] {10, 0, 3, 1});
            for (int i = 0; i < FRAMES; i++) {
                wire.send(request);
            }
            assertThat(wire.await(0x0806, FRAMES, STEP)).as("ARP replies that reached the host").isEqualTo(FRAMES);
            String link = busbar.awaitShell("net:link -j eth0", out -> GuestOnBusbarIT.Partner.sum(out, "rxFrames") >= FRAMES, STEP);
            assertThat(GuestOnBusbarIT.Partner.sum(link, "rxFrames")).as("frames eth0 received").isEqualTo(FRAMES);
            assertThat(GuestOnBusbarIT.Partner.sum(link, "txFrames")).as("frames eth0 sent").isEqualTo(2 * FRAMES);
            assertThat(wire.frames()).as("every frame the NIC sent").isEqualTo(2 * FRAMES);

            String counters = busbar.shell("pci:lspci -v -j", STEP);
            long signals = GuestOnBusbarIT.Partner.sum(counters, "msix_signals");
            assertThat(signals).as("MSI-X signals through VFIO eventfds").isPositive();
            assertThat(GuestOnBusbarIT.Partner.sum(counters, "msix_vectors")).isPositive();
            assertThat(GuestOnBusbarIT.Partner.sum(counters, "dma_mappings")).as("the DMA pool mapped in the IOMMU").isPositive();

            busbar.shell("vdpa:dev del vdpa0", STEP);
            counters = busbar.shell("pci:lspci -v -j", STEP);
            assertThat(GuestOnBusbarIT.Partner.sum(counters, "dma_mappings")).as("mappings after the vDPA device went").isZero();
            assertThat(GuestOnBusbarIT.Partner.sum(counters, "msix_vectors")).as("vectors routed after it went").isZero();
            busbar.shell("bus:unbind pci " + addr, STEP);
            assertThat(busbar.shell("pci:lspci -v", STEP)).doesNotContain("Kernel driver in use");

            var id = Pattern.compile("(\\d+)\\|\\w+\\s*\\|\\s*\\d+\\|busbar pci\\.vfio ").matcher(busbar.shell("lb pci.vfio", STEP));
            assertThat(id.find()).as("pci.vfio's bundle id").isTrue();
            busbar.shell("stop " + id.group(1), STEP);
            assertThat(busbar.shell("pci:lspci", STEP)).doesNotContain(addr).doesNotContain("provider vfio");
            busbar.shell("start " + id.group(1), STEP);
            // the group opens again only if the last open of it and its device fd were closed
            busbar.awaitShell("pci:lspci -v", out -> out.contains("provider vfio: 1 function through VFIO")
                    && out.contains("Kernel driver in use: vp_vdpa"), STEP);

            qemu.type("stop 0");
            GuestReport report = qemu.awaitExit(STEP);
            assertThat(report.errors()).as("errors the guest reported").isEmpty();
            assertThat(report.event("runtime").value("exit")).as("the framework stopped normally").isEqualTo("117");
            assertThat(report.exitCode()).isZero();
            System.out.printf("VfioGuestIT: %d frames each way, %d MSI-X signals, %.1f s%n", FRAMES, signals,
                    (System.nanoTime() - start) / 1e9);
            qemu.close();
            assertThat(qemu.process().leftovers()).isEmpty();
        }
    }
}
