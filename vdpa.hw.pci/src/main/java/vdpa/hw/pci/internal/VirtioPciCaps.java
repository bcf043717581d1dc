package vdpa.hw.pci.internal;

import static virtio.spec.VirtioPci.VIRTIO_PCI_CAP_BAR;
import static virtio.spec.VirtioPci.VIRTIO_PCI_CAP_CFG_TYPE;
import static virtio.spec.VirtioPci.VIRTIO_PCI_CAP_COMMON_CFG;
import static virtio.spec.VirtioPci.VIRTIO_PCI_CAP_DEVICE_CFG;
import static virtio.spec.VirtioPci.VIRTIO_PCI_CAP_ISR_CFG;
import static virtio.spec.VirtioPci.VIRTIO_PCI_CAP_LEN;
import static virtio.spec.VirtioPci.VIRTIO_PCI_CAP_LENGTH;
import static virtio.spec.VirtioPci.VIRTIO_PCI_CAP_NOTIFY_CFG;
import static virtio.spec.VirtioPci.VIRTIO_PCI_CAP_OFFSET;
import static virtio.spec.VirtioPci.VIRTIO_PCI_CAP_SIZEOF;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_CFG_SIZEOF;
import static virtio.spec.VirtioPci.VIRTIO_PCI_NOTIFY_CAP_MULT;
import static virtio.spec.VirtioPci.VIRTIO_PCI_NOTIFY_CAP_SIZEOF;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;
import pci.bus.PciCapabilities;
import pci.bus.PciCapability;
import pci.bus.PciRegion;
import pci.bus.PciRegs;

/**
 * Where a virtio-pci function says its virtio structures are (virtio 1.2 section 4.1.4), read
 * from its vendor-specific capabilities and checked before anything is mapped, as the kernel's
 * vp_modern_probe does and more: a capability that lies outside configuration space, names a
 * reserved or unimplemented BAR, places its structure (offset plus length, in 64-bit arithmetic)
 * beyond the BAR's end, is shorter than its structure, or is misaligned for the accesses the
 * driver makes is not used, and {@link #problems()} says why. The first usable capability of each
 * type wins (4.1.4.1). A function without a usable common, notify and ISR structure is refused
 * ({@link #refusal()}). The function's answers are hostile until they pass here, so no register
 * access this driver later makes can leave a BAR.
 *
 * @param commonCfg the common configuration structure, or null
 * @param notifyCfg the notification structure, or null
 * @param notifyMultiplier notify_off_multiplier: 0, or an even power of two
 * @param isrCfg the ISR status byte, or null
 * @param deviceCfg the device-specific configuration, or null (some device types have none)
 * @param problems why each capability that was not used was not
 * @param walk where the capability walk itself stopped early, or null
 */
record VirtioPciCaps(Structure commonCfg, Structure notifyCfg, long notifyMultiplier, Structure isrCfg, Structure deviceCfg,
        List<String> problems, String walk) {

    /**
     * One virtio structure: {@code length} bytes at {@code offset} of BAR {@code bar}, located by
     * the capability at {@code capability}.
     */
    record Structure(int capability, int type, int bar, long offset, long length) {}

    public VirtioPciCaps {
        problems = List.copyOf(problems);
    }

    /**
     * Reads and checks the capabilities.
     *
     * @param config the function's configuration space (an image may be shorter than 256 bytes)
     * @param memoryBarSize the size of BAR {@code n} if it is an implemented memory BAR, else 0
     */
    static VirtioPciCaps read(PciRegion config, IntToLongFunction memoryBarSize) {
        PciCapabilities caps = PciCapabilities.walk(config);
        List<String> problems = new ArrayList<>();
        Structure[] first = new Structure[VIRTIO_PCI_CAP_DEVICE_CFG + 1];
        long multiplier = 0;
        for (PciCapability cap : caps.all(PciRegs.PCI_CAP_ID_VNDR)) {
            int at = cap.offset();
            String where = String.format("capability at 0x%02x", at);
            if (!config.contains(at, VIRTIO_PCI_CAP_SIZEOF)) {
                problems.add(where + " lies beyond the configuration space");
                continue;
            }
            int len = config.read8(at + VIRTIO_PCI_CAP_LEN);
            int type = config.read8(at + VIRTIO_PCI_CAP_CFG_TYPE);
            if (type < VIRTIO_PCI_CAP_COMMON_CFG || type > VIRTIO_PCI_CAP_DEVICE_CFG) {
                continue; // the PCI config window, shared memory, vendor data: not used here
            }
            int needed = type == VIRTIO_PCI_CAP_NOTIFY_CFG ? VIRTIO_PCI_NOTIFY_CAP_SIZEOF : VIRTIO_PCI_CAP_SIZEOF;
            if (len < needed || !config.contains(at, len)) {
                problems.add(where + " (" + name(type) + ") has cap_len " + len + ": needs " + needed
                        + " bytes inside configuration space");
                continue;
            }
            if (first[type] != null) {
                continue; // the first usable one of a type is used (4.1.4.1)
            }
            int bar = config.read8(at + VIRTIO_PCI_CAP_BAR);
            long offset = config.read32(at + VIRTIO_PCI_CAP_OFFSET) & 0xffff_ffffL;
            long length = config.read32(at + VIRTIO_PCI_CAP_LENGTH) & 0xffff_ffffL;
            String refused = check(type, bar, offset, length, memoryBarSize);
            if (refused == null && type == VIRTIO_PCI_CAP_NOTIFY_CFG) {
                long m = config.read32(at + VIRTIO_PCI_NOTIFY_CAP_MULT) & 0xffff_ffffL;
                // an even power of two, or 0 for one address shared by every queue (4.1.4.4.1)
                if (m != 0 && (Long.bitCount(m) != 1 || m == 1)) {
                    refused = "notify_off_multiplier " + m + " is neither 0 nor an even power of two";
                } else {
                    multiplier = m;
                }
            }
            if (refused != null) {
                problems.add(where + " (" + name(type) + "): " + refused);
                continue;
            }
            first[type] = new Structure(at, type, bar, offset, length);
        }
        return new VirtioPciCaps(first[VIRTIO_PCI_CAP_COMMON_CFG], first[VIRTIO_PCI_CAP_NOTIFY_CFG], multiplier,
                first[VIRTIO_PCI_CAP_ISR_CFG], first[VIRTIO_PCI_CAP_DEVICE_CFG], problems, caps.problem());
    }

    /** Why a structure cannot be used, or null. */
    private static String check(int type, int bar, long offset, long length, IntToLongFunction memoryBarSize) {
        if (bar > 5) {
            return "bar " + bar + " is reserved";
        }
        long size = memoryBarSize.applyAsLong(bar);
        if (size <= 0) {
            return "BAR " + bar + " is not an implemented memory BAR";
        }
        // both are 32-bit values: the sum cannot overflow a long
        if (offset + length > size) {
            return String.format("0x%x bytes at 0x%x leave BAR %d of 0x%x bytes", length, offset, bar, size);
        }
        long min = switch (type) {
            case VIRTIO_PCI_CAP_COMMON_CFG -> VIRTIO_PCI_COMMON_CFG_SIZEOF;
            case VIRTIO_PCI_CAP_NOTIFY_CFG -> 2;
            default -> 1;
        };
        if (length < min) {
            return "length 0x" + Long.toHexString(length) + " is below the structure's 0x" + Long.toHexString(min);
        }
        long align = switch (type) {
            case VIRTIO_PCI_CAP_COMMON_CFG -> 4;
            case VIRTIO_PCI_CAP_NOTIFY_CFG -> 2;
            default -> 1;
        };
        if (offset % align != 0) {
            return "offset 0x" + Long.toHexString(offset) + " is not " + align + "-byte aligned";
        }
        return null;
    }

    /** Why the function cannot be driven, or null: a structure it must have is missing. */
    String refusal() {
        List<String> missing = new ArrayList<>();
        if (commonCfg == null) {
            missing.add("common configuration");
        }
        if (notifyCfg == null) {
            missing.add("notification");
        }
        if (isrCfg == null) {
            missing.add("ISR status");
        }
        if (missing.isEmpty()) {
            return null;
        }
        String why = "no usable virtio " + String.join(", ", missing) + " capability";
        if (!problems.isEmpty()) {
            why += " (" + String.join("; ", problems) + ")";
        }
        if (walk != null) {
            why += " (capability list: " + walk + ")";
        }
        return why;
    }

    static String name(int type) {
        return switch (type) {
            case VIRTIO_PCI_CAP_COMMON_CFG -> "common";
            case VIRTIO_PCI_CAP_NOTIFY_CFG -> "notify";
            case VIRTIO_PCI_CAP_ISR_CFG -> "isr";
            case VIRTIO_PCI_CAP_DEVICE_CFG -> "device";
            default -> "type " + type;
        };
    }
}
