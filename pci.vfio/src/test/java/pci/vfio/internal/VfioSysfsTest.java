package pci.vfio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pci.bus.PciAddress;

/** Discovery over a sysfs tree laid out as the kernel lays it out. */
class VfioSysfsTest {

    @TempDir
    Path sys;

    void function(String address, String group) throws Exception {
        Path dev = Files.createDirectories(sys.resolve("bus/pci/devices").resolve(address));
        Path driver = Files.createDirectories(sys.resolve("bus/pci/drivers/vfio-pci"));
        Files.createSymbolicLink(driver.resolve(address), dev);
        if (group != null) {
            Path g = Files.createDirectories(sys.resolve("kernel/iommu_groups").resolve(group));
            Files.createSymbolicLink(dev.resolve("iommu_group"), g);
        }
    }

    @Test
    void theFunctionsBoundToVfioPciAndTheirGroupsLowestAddressFirst() throws Exception {
        function("0000:03:00.0", "14");
        function("0000:01:00.0", "7");
        function("0000:02:00.0", null);
        Files.createFile(sys.resolve("bus/pci/drivers/vfio-pci/bind"));
        Files.createFile(sys.resolve("bus/pci/drivers/vfio-pci/new_id"));
        List<String> problems = new ArrayList<>();
        assertThat(new VfioSysfs(sys).bound(problems)).containsExactly(
                new VfioSysfs.Bound(PciAddress.parse("0000:01:00.0"), "7"),
                new VfioSysfs.Bound(PciAddress.parse("0000:03:00.0"), "14"));
        assertThat(problems).singleElement().asString().startsWith("0000:02:00.0: no IOMMU group");
    }

    @Test
    void noVfioPciDriverMeansNoFunction() throws Exception {
        assertThat(new VfioSysfs(sys).bound(new ArrayList<>())).isEmpty();
    }
}
