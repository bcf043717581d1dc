package vdpa.hw.pci.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import pci.bus.ConfigImage;
import pci.bus.PciAddress;
import pci.bus.PciRegs;
import virtio.spec.VirtioPci;

/**
 * Before trusting its own emulation, the capability walker reads the virtio-pci functions this
 * machine really has: the configuration space each exposes in sysfs ({@code config}, opened read
 * only; nothing is written) and its BARs ({@code resource}) must parse into the structures a real
 * device presents: common, notify (with a valid multiplier) and ISR, each inside its BAR, and the
 * device configuration of the types that have one. Where this machine has no such function (or
 * sysfs gives only the header to an unprivileged reader), the test says so in its output; the
 * walker is also tested on crafted layouts ({@link VirtioPciCapsTest}).
 */
class SysfsVirtioFunctionsTest {

    static final Path DEVICES = Path.of("/sys/bus/pci/devices");
    /** IORESOURCE_MEM in a sysfs resource line's flags. */
    static final long IORESOURCE_MEM = 0x200;

    @Test
    void everyVirtioPciFunctionOfThisMachineParsesIntoTheStructuresItPresents() throws IOException {
        List<Path> virtio = new ArrayList<>();
        if (Files.isDirectory(DEVICES)) {
            try (Stream<Path> dirs = Files.list(DEVICES)) {
                for (Path d : dirs.sorted().toList()) {
                    if (Files.isReadable(d.resolve("vendor"))
                            && Integer.decode(Files.readString(d.resolve("vendor")).strip()) == VirtioPci.VIRTIO_PCI_VENDOR_ID) {
                        virtio.add(d);
                    }
                }
            }
        }
        if (virtio.isEmpty()) {
            System.out.println("SysfsVirtioFunctionsTest: this machine has no virtio-pci functions in " + DEVICES
                    + ": no real layout to parse here (VirtioPciCapsTest still checks the walker)");
            return;
        }
        int parsed = 0;
        for (Path d : virtio) {
            byte[] config = Files.readAllBytes(d.resolve("config"));
            String slot = d.getFileName().toString();
            if (config.length < PciRegs.PCI_CFG_SPACE_SIZE) {
                System.out.println("SysfsVirtioFunctionsTest: " + slot + " gives " + config.length
                        + " bytes of configuration space to this user: its capabilities cannot be read");
                continue;
            }
            ConfigImage image = new ConfigImage(PciAddress.parse(slot), config);
            long[] size = memoryBars(d.resolve("resource"));
            VirtioPciCaps caps = VirtioPciCaps.read(image.config(), i -> size[i]);
            int device = image.config().read16(PciRegs.PCI_DEVICE_ID);
            assertThat(caps.walk()).as(slot + " capability list").isNull();
            assertThat(caps.problems()).as(slot + " capabilities refused").isEmpty();
            assertThat(caps.refusal()).as(slot).isNull();
            assertThat(caps.commonCfg().length()).as(slot + " common").isGreaterThanOrEqualTo(VirtioPci.VIRTIO_PCI_COMMON_CFG_SIZEOF);
            assertThat(caps.notifyMultiplier() == 0 || Long.bitCount(caps.notifyMultiplier()) == 1).as(slot + " multiplier").isTrue();
            for (VirtioPciCaps.Structure s : new VirtioPciCaps.Structure[] {caps.commonCfg(), caps.notifyCfg(), caps.isrCfg(), caps.deviceCfg()}) {
                if (s != null) {
                    assertThat(s.offset() + s.length()).as(slot + " " + VirtioPciCaps.name(s.type()) + " inside BAR " + s.bar())
                            .isLessThanOrEqualTo(size[s.bar()]);
                }
            }
            int type = device >= VirtioPci.VIRTIO_PCI_MODERN_DEVICE_ID_BASE ? device - VirtioPci.VIRTIO_PCI_MODERN_DEVICE_ID_BASE
                    : image.config().read16(PciRegs.PCI_SUBSYSTEM_ID);
            if (type == 1 || type == 2) {
                // a network and a block device have device configuration (5.1.4, 5.2.4)
                assertThat(caps.deviceCfg()).as(slot + " device configuration").isNotNull();
            }
            System.out.println("SysfsVirtioFunctionsTest: " + slot + " " + String.format("%04x:%04x", VirtioPci.VIRTIO_PCI_VENDOR_ID, device)
                    + " " + describe(caps));
            parsed++;
        }
        if (parsed == 0) {
            System.out.println("SysfsVirtioFunctionsTest: no virtio-pci function's capabilities were readable here");
        }
    }

    /** The size of each memory BAR from sysfs's resource file (start, end, flags per line), 0 for others. */
    static long[] memoryBars(Path resource) throws IOException {
        long[] size = new long[6];
        List<String> lines = Files.readAllLines(resource);
        for (int i = 0; i < 6 && i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            long start = Long.decode(f[0]);
            long end = Long.decode(f[1]);
            long flags = Long.decode(f[2]);
            if (start != 0 && (flags & IORESOURCE_MEM) != 0) {
                size[i] = end - start + 1;
            }
        }
        return size;
    }

    static String describe(VirtioPciCaps c) {
        StringBuilder b = new StringBuilder();
        for (VirtioPciCaps.Structure s : new VirtioPciCaps.Structure[] {c.commonCfg(), c.notifyCfg(), c.isrCfg(), c.deviceCfg()}) {
            if (s != null) {
                b.append(String.format("%s@%02x=BAR%d+0x%x[0x%x] ", VirtioPciCaps.name(s.type()), s.capability(), s.bar(), s.offset(), s.length()));
            }
        }
        return b.append("multiplier ").append(c.notifyMultiplier()).toString();
    }
}
