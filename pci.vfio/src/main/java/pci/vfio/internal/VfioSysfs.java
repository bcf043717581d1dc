package pci.vfio.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import pci.bus.PciAddress;
import pci.vfio.PciVfio;

/**
 * What sysfs says about the functions VFIO may open: those bound to {@value PciVfio#KERNEL_DRIVER}
 * (the entries of {@code /sys/bus/pci/drivers/vfio-pci} named like an address) and the IOMMU group
 * of each ({@code /sys/bus/pci/devices/<address>/iommu_group}, a link to {@code .../<number>}).
 * Read only; the root is a parameter so a test can give a tree of its own.
 */
final class VfioSysfs {

    /** A function bound to vfio-pci, and its IOMMU group's number (the name of {@code /dev/vfio/<group>}). */
    record Bound(PciAddress address, String group) {}

    private final Path sys;

    /** @param sys the sysfs root, {@code /sys} */
    VfioSysfs(Path sys) {
        this.sys = sys;
    }

    /**
     * The functions bound to vfio-pci, lowest address first; one whose group cannot be read is
     * left out and named in {@code problems}.
     */
    List<Bound> bound(List<String> problems) throws IOException {
        Path driver = sys.resolve("bus/pci/drivers").resolve(PciVfio.KERNEL_DRIVER);
        List<Bound> out = new ArrayList<>();
        if (!Files.isDirectory(driver)) {
            return out;
        }
        List<PciAddress> addresses = new ArrayList<>();
        try (Stream<Path> entries = Files.list(driver)) {
            for (Path e : entries.toList()) {
                try {
                    addresses.add(PciAddress.parse(e.getFileName().toString()));
                } catch (IllegalArgumentException notAFunction) {
                    // bind, unbind, new_id, module, ...: the driver's own files
                }
            }
        }
        addresses.sort(null);
        for (PciAddress a : addresses) {
            Path link = sys.resolve("bus/pci/devices").resolve(a.toString()).resolve("iommu_group");
            try {
                String group = Files.readSymbolicLink(link).getFileName().toString();
                if (!group.matches("[0-9]{1,9}")) {
                    problems.add(a + ": IOMMU group '" + group + "' is not a number");
                    continue;
                }
                out.add(new Bound(a, group));
            } catch (IOException | UnsupportedOperationException e) {
                problems.add(a + ": no IOMMU group (" + e.getMessage() + ")");
            }
        }
        return out;
    }
}
