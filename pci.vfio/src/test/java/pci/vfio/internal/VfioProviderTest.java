package pci.vfio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pci.bus.internal.InMemoryPciBus;
import pci.vfio.PciVfio;

/** What the provider finds, and says, where VFIO is absent or has nothing to pass through. */
class VfioProviderTest {

    final InMemoryPciBus bus = new InMemoryPciBus();

    @TempDir
    Path root;

    @AfterEach
    void close() {
        bus.close();
    }

    @Test
    void onThisMachineTheProviderSaysWhatItFound() throws Exception {
        VfioProvider p = new VfioProvider(bus);
        p.awaitDiscovery();
        if (!Files.exists(Path.of(PciVfio.CONTAINER))) {
            System.out.println("VfioProviderTest: this kernel has no " + PciVfio.CONTAINER + "; the provider says: " + p.status());
            assertThat(p.status()).isEqualTo("/dev/vfio/vfio is absent: this kernel has no VFIO (or vfio is not loaded), so no function is passed through");
            assertThat(bus.devices()).isEmpty();
        } else {
            System.out.println("VfioProviderTest: " + PciVfio.CONTAINER + " exists; the provider says: " + p.status());
            assertThat(p.status()).doesNotContain("looking for");
        }
        p.deactivate();
        assertThat(bus.devices()).isEmpty();
    }

    @Test
    void withoutTheContainerItDoesNothing() throws Exception {
        VfioProvider p = new VfioProvider(bus, root.resolve("sys"), root.resolve("dev/vfio"));
        p.awaitDiscovery();
        assertThat(p.status()).contains("dev/vfio/vfio is absent");
        p.deactivate();
    }

    @Test
    void withAContainerButNoFunctionBoundToVfioPciItSaysSo() throws Exception {
        Files.createDirectories(root.resolve("dev/vfio"));
        Files.createFile(root.resolve("dev/vfio/vfio"));
        Files.createDirectories(root.resolve("sys/bus/pci/drivers/vfio-pci"));
        VfioProvider p = new VfioProvider(bus, root.resolve("sys"), root.resolve("dev/vfio"));
        p.awaitDiscovery();
        assertThat(p.status()).isEqualTo("no function is bound to vfio-pci");
        p.deactivate();
        assertThat(bus.devices()).isEmpty();
    }

    @Test
    void aContainerThatIsNotVfioIsRefusedWithTheReason() throws Exception {
        Files.createDirectories(root.resolve("dev/vfio"));
        Files.createFile(root.resolve("dev/vfio/vfio"));
        Path dev = Files.createDirectories(root.resolve("sys/bus/pci/devices/0000:01:00.0"));
        Files.createDirectories(root.resolve("sys/bus/pci/drivers/vfio-pci"));
        Files.createSymbolicLink(root.resolve("sys/bus/pci/drivers/vfio-pci/0000:01:00.0"), dev);
        Files.createSymbolicLink(dev.resolve("iommu_group"), Files.createDirectories(root.resolve("sys/kernel/iommu_groups/3")));
        VfioProvider p = new VfioProvider(bus, root.resolve("sys"), root.resolve("dev/vfio"));
        p.awaitDiscovery();
        // a plain file answers the first ioctl with ENOTTY
        assertThat(p.status()).startsWith("the VFIO container refused: VFIO_GET_API_VERSION: ENOTTY (" + root.resolve("dev/vfio/vfio") + ")");
        p.deactivate();
    }
}
