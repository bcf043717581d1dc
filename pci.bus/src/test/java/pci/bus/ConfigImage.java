package pci.bus;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A PCI function that is nothing but an image of configuration space (and, optionally, BARs of
 * plain memory): for tests of code that reads functions (the bus, lspci, capability walkers), and
 * for the contents of a real function's sysfs {@code config} file. Writes change the image as
 * given; there are no read-only bits. The DMA window is {@link TableDma}.
 */
public final class ConfigImage implements PciDevice {

    private final PciAddress address;
    private final byte[] bytes;
    private final PciRegion config;
    private final List<PciBar> bars = new ArrayList<>();
    private final TableDma dma = new TableDma(0, -2L);
    private String provider = "image";

    /** A function whose configuration space is {@code bytes} (256 or 4096 of them; fewer for a truncated image). */
    public ConfigImage(PciAddress address, byte[] bytes) {
        this.address = address;
        this.bytes = bytes;
        this.config = new PciRegion(bytes.length, 4, new PciRegion.Access() {
            @Override
            public long read(long offset, int width) {
                long v = 0;
                for (int i = width - 1; i >= 0; i--) {
                    v = (v << 8) | (bytes[(int) offset + i] & 0xff);
                }
                return v;
            }

            @Override
            public void write(long offset, int width, long value) {
                for (int i = 0; i < width; i++) {
                    bytes[(int) offset + i] = (byte) (value >>> (8 * i));
                }
            }
        });
    }

    /** An empty 256-byte type 0 header with these ids, class and revision. */
    public static ConfigImage function(String address, int vendor, int device, int classCode, int revision) {
        ConfigImage f = new ConfigImage(PciAddress.parse(address), new byte[PciRegs.PCI_CFG_SPACE_SIZE]);
        f.config.write16(PciRegs.PCI_VENDOR_ID, vendor);
        f.config.write16(PciRegs.PCI_DEVICE_ID, device);
        f.config.write32(PciRegs.PCI_REVISION_ID, (classCode << 8) | revision);
        return f;
    }

    /** Sets the subsystem ids. */
    public ConfigImage subsystem(int vendor, int device) {
        config.write16(PciRegs.PCI_SUBSYSTEM_VENDOR_ID, vendor);
        config.write16(PciRegs.PCI_SUBSYSTEM_ID, device);
        return this;
    }

    /**
     * Appends a capability of {@code length} bytes at {@code offset} with this ID and body (bytes
     * after ID and next pointer), linking it at the end of the list.
     */
    public ConfigImage capability(int offset, int id, byte... body) {
        if ((config.read16(PciRegs.PCI_STATUS) & PciRegs.PCI_STATUS_CAP_LIST) == 0) {
            config.write16(PciRegs.PCI_STATUS, config.read16(PciRegs.PCI_STATUS) | PciRegs.PCI_STATUS_CAP_LIST);
            config.write8(PciRegs.PCI_CAPABILITY_LIST, offset);
        } else {
            int last = config.read8(PciRegs.PCI_CAPABILITY_LIST);
            while (config.read8(last + 1) != 0) {
                last = config.read8(last + 1);
            }
            config.write8(last + 1, offset);
        }
        config.write8(offset, id);
        config.write8(offset + 1, 0);
        for (int i = 0; i < body.length; i++) {
            config.write8(offset + 2 + i, body[i]);
        }
        return this;
    }

    /** Adds a memory BAR of plain bytes. */
    public ConfigImage bar(int index, PciBar.Type type, long address, int size) {
        byte[] mem = new byte[size];
        bars.add(new PciBar(index, type, type == PciBar.Type.MEM64, address, new PciRegion(size, 8, new PciRegion.Access() {
            @Override
            public long read(long offset, int width) {
                long v = 0;
                for (int i = width - 1; i >= 0; i--) {
                    v = (v << 8) | (mem[(int) offset + i] & 0xff);
                }
                return v;
            }

            @Override
            public void write(long offset, int width, long value) {
                for (int i = 0; i < width; i++) {
                    mem[(int) offset + i] = (byte) (value >>> (8 * i));
                }
            }
        })));
        return this;
    }

    /** Sets what {@link #provider()} answers. */
    public ConfigImage provider(String name) {
        this.provider = name;
        return this;
    }

    /** The image itself (writes go through). */
    public byte[] bytes() {
        return bytes;
    }

    @Override public PciAddress address() { return address; }
    @Override public String provider() { return provider; }
    @Override public PciRegion config() { return config; }
    @Override public List<PciBar> bars() { return List.copyOf(bars); }
    @Override public Optional<PciMsix> msix() { return Optional.empty(); }
    @Override public PciDma dma() { return dma; }
}
