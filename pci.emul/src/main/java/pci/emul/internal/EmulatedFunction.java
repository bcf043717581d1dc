package pci.emul.internal;

import static pci.bus.PciRegs.PCI_CAP_ID_MSIX;
import static pci.bus.PciRegs.PCI_CAP_ID_VNDR;
import static pci.bus.PciRegs.PCI_COMMAND_MASTER;
import static pci.bus.PciRegs.PCI_COMMAND_MEMORY;
import static virtio.spec.VirtioPci.VIRTIO_MSI_NO_VECTOR;
import static virtio.spec.VirtioPci.VIRTIO_PCI_CAP_COMMON_CFG;
import static virtio.spec.VirtioPci.VIRTIO_PCI_CAP_DEVICE_CFG;
import static virtio.spec.VirtioPci.VIRTIO_PCI_CAP_ISR_CFG;
import static virtio.spec.VirtioPci.VIRTIO_PCI_CAP_NOTIFY_CFG;
import static virtio.spec.VirtioPci.VIRTIO_PCI_CAP_PCI_CFG;
import static virtio.spec.VirtioPci.VIRTIO_PCI_ISR_CONFIG;
import static virtio.spec.VirtioPci.VIRTIO_PCI_ISR_QUEUE;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import pci.bus.PciAddress;
import pci.bus.PciBar;
import pci.bus.PciDevice;
import pci.bus.PciDma;
import pci.bus.PciMsix;
import pci.bus.PciRegion;
import pci.bus.PciRegs;
import pci.emul.PciEmul;
import virtio.spec.VirtioPci;
import vdpa.sim.model.NetModel;

/**
 * A modern virtio-pci network function in the JVM (virtio 1.2 section 4.1), laid out as QEMU's
 * {@code virtio-net-pci} with {@code disable-legacy=on}: vendor 0x1af4, device 0x1041, class
 * 0x020000, revision 1, subsystem 0x1af4:0x1100; the MSI-X table and PBA in BAR 1 (32-bit, 4 KiB);
 * the virtio structures in BAR 4 (64-bit prefetchable, 16 KiB, see {@link VirtioBar}); the
 * capability list common config (0x40), ISR (0x50), device config (0x60), notify (0x70, multiplier
 * 4), PCI config access (0x84) and MSI-X (0x98), as this machine's own virtio functions present it.
 *
 * <p>Behind the registers sits the simulator's net device model; the function owns it and closes
 * it with itself. Like hardware, the BARs answer only while Memory Space is enabled, and DMA and
 * MSI-X messages flow only while Bus Master is enabled.
 */
final class EmulatedFunction implements PciDevice {

    static final int CAP_COMMON = 0x40;
    static final int CAP_ISR = 0x50;
    static final int CAP_DEVICE = 0x60;
    static final int CAP_NOTIFY = 0x70;
    static final int CAP_PCI_CFG = 0x84;
    static final int CAP_MSIX = 0x98;
    static final int MSIX_BAR = 1;
    static final int VIRTIO_BAR = 4;
    /** QEMU's subsystem id for its virtio functions. */
    static final int SUBSYSTEM_ID = 0x1100;
    static final int REVISION = 1;

    private final PciAddress address;
    private final NetModel model;
    private final RegisterFault.Counters faults = new RegisterFault.Counters();
    private final ConfigSpace configSpace;
    private final PciRegion config;
    private final MsixTable table;
    private final CommonCfg common;
    private final VirtioBar virtio;
    private final PciRegion msixRegion;
    private final PciRegion virtioRegion;
    private final EmulMsix msix;
    private final ModelDma dma;
    private volatile int command;

    /** A function at {@code address} in front of {@code model}, reset, with Memory Space and Bus Master off. */
    EmulatedFunction(PciAddress address, NetModel model) {
        this.address = address;
        this.model = model;
        int deviceId = VirtioPci.VIRTIO_PCI_MODERN_DEVICE_ID_BASE + model.getDeviceId();
        this.configSpace = new ConfigSpace(VirtioPci.VIRTIO_PCI_VENDOR_ID, deviceId, PciRegs.PCI_CLASS_NETWORK_ETHERNET << 8,
                REVISION, VirtioPci.VIRTIO_PCI_VENDOR_ID, SUBSYSTEM_ID, faults);
        this.config = new PciRegion(PciRegs.PCI_CFG_SPACE_SIZE, 4, configSpace);
        // one vector per queue and one for config changes, as QEMU sizes its table
        this.table = new MsixTable(model.vqCount() + 1, faults, () -> (command & PCI_COMMAND_MASTER) != 0);
        this.common = new CommonCfg(model, faults, new CommonCfg.Interrupts() {
            @Override public void queue(int index) { queueInterrupt(index); }
            @Override public void config() { configInterrupt(); }
            @Override public int tableSize() { return table.size(); }
        });
        this.virtio = new VirtioBar(common, model, faults);
        this.msixRegion = new PciRegion(MsixTable.BAR_SIZE, 8, decoded(table));
        this.virtioRegion = new PciRegion(VirtioBar.SIZE, 8, decoded(virtio));
        this.dma = new ModelDma(model);
        long base = 0xfe00_0000L + (long) ((address.bus() << 8) | (address.device() << 3) | address.function()) * 0x10000;
        configSpace.bar(PciBar.Type.MEM32, MSIX_BAR, false, MsixTable.BAR_SIZE, base);
        configSpace.bar(PciBar.Type.MEM64, VIRTIO_BAR, true, VirtioBar.SIZE, base + VirtioBar.SIZE);
        capabilities();
        configSpace.listen(c -> {
            command = c;
            dma.master((c & PCI_COMMAND_MASTER) != 0);
        });
        this.msix = new EmulMsix(table, config, CAP_MSIX, msixRegion, faults);
    }

    private void capabilities() {
        configSpace.capability(CAP_COMMON, PCI_CAP_ID_VNDR, virtioCap(16, VIRTIO_PCI_CAP_COMMON_CFG, VirtioBar.COMMON,
                VirtioPci.VIRTIO_PCI_MODERN_COMMON_CFG_SIZEOF, -1));
        configSpace.capability(CAP_ISR, PCI_CAP_ID_VNDR, virtioCap(16, VIRTIO_PCI_CAP_ISR_CFG, VirtioBar.ISR, 1, -1));
        configSpace.capability(CAP_DEVICE, PCI_CAP_ID_VNDR, virtioCap(16, VIRTIO_PCI_CAP_DEVICE_CFG, VirtioBar.DEVICE,
                model.getConfigSize(), -1));
        configSpace.capability(CAP_NOTIFY, PCI_CAP_ID_VNDR, virtioCap(20, VIRTIO_PCI_CAP_NOTIFY_CFG, VirtioBar.NOTIFY,
                virtio.notifyLength(), VirtioBar.NOTIFY_MULTIPLIER));
        // the PCI configuration access window: bar, offset, length and data are the driver's to set (4.1.4.9)
        configSpace.capability(CAP_PCI_CFG, PCI_CAP_ID_VNDR, virtioCap(20, VIRTIO_PCI_CAP_PCI_CFG, 0, 0, 0));
        configSpace.writableBytes(CAP_PCI_CFG + VirtioPci.VIRTIO_PCI_CAP_BAR, 1);
        configSpace.writableBytes(CAP_PCI_CFG + VirtioPci.VIRTIO_PCI_CAP_OFFSET, 8);
        configSpace.window(CAP_PCI_CFG + VirtioPci.VIRTIO_PCI_CFG_CAP_DATA, new PciCfgWindow());
        byte[] msixCap = new byte[10];
        int flags = table.size() - 1;
        msixCap[0] = (byte) flags;
        msixCap[1] = (byte) (flags >>> 8);
        putLe32(msixCap, 2, MsixTable.TABLE_OFFSET | MSIX_BAR);
        putLe32(msixCap, 6, MsixTable.PBA_OFFSET | MSIX_BAR);
        configSpace.capability(CAP_MSIX, PCI_CAP_ID_MSIX, msixCap);
        configSpace.msix(CAP_MSIX, table);
    }

    /** The bytes of a struct virtio_pci_cap after cap_vndr and cap_next ({@code mult} >= 0: a notify cap). */
    private static byte[] virtioCap(int length, int type, int offset, int size, int mult) {
        byte[] b = new byte[length - 2];
        b[0] = (byte) length;
        b[1] = (byte) type;
        b[2] = (byte) (type == VIRTIO_PCI_CAP_PCI_CFG ? 0 : VIRTIO_BAR);
        putLe32(b, VirtioPci.VIRTIO_PCI_CAP_OFFSET - 2, offset);
        putLe32(b, VirtioPci.VIRTIO_PCI_CAP_LENGTH - 2, size);
        if (mult >= 0 && type == VIRTIO_PCI_CAP_NOTIFY_CFG) {
            putLe32(b, VirtioPci.VIRTIO_PCI_NOTIFY_CAP_MULT - 2, mult);
        }
        return b;
    }

    private static void putLe32(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    /** A BAR decodes only while Memory Space is enabled; otherwise it reads all ones (a master abort). */
    private PciRegion.Access decoded(PciRegion.Access registers) {
        return new PciRegion.Access() {
            @Override
            public long read(long offset, int width) {
                if ((command & PCI_COMMAND_MEMORY) == 0) {
                    faults.count(RegisterFault.BAR_MEMORY_DISABLED);
                    return width == 8 ? -1L : (1L << (8 * width)) - 1;
                }
                return registers.read(offset, width);
            }

            @Override
            public void write(long offset, int width, long value) {
                if ((command & PCI_COMMAND_MEMORY) == 0) {
                    faults.count(RegisterFault.BAR_MEMORY_DISABLED);
                    return;
                }
                registers.write(offset, width, value);
            }
        };
    }

    /** The model used buffers on a queue: its MSI-X vector if MSI-X is on, else ISR status (there is no INTx). */
    private void queueInterrupt(int index) {
        if (!table.enabled()) {
            virtio.raiseIsr(VIRTIO_PCI_ISR_QUEUE);
            return;
        }
        int v = common.queueVector(index);
        if (v != VIRTIO_MSI_NO_VECTOR) {
            table.fire(v);
        }
    }

    /** The model's config changed: ISR status always (4.1.4.5.1), then the config vector. */
    private void configInterrupt() {
        virtio.raiseIsr(VIRTIO_PCI_ISR_CONFIG);
        int v = common.configVector();
        if (table.enabled() && v != VIRTIO_MSI_NO_VECTOR) {
            table.fire(v);
        }
    }

    /**
     * VIRTIO_PCI_CAP_PCI_CFG (4.1.4.9): an access to pci_cfg_data is an access of cap.length bytes
     * at cap.offset of BAR cap.bar. It works whatever Memory Space says, as QEMU's does.
     */
    private final class PciCfgWindow implements ConfigSpace.Window {
        private final int[] window = new int[3];

        private boolean valid() {
            int bar = (int) configSpace.get(CAP_PCI_CFG + VirtioPci.VIRTIO_PCI_CAP_BAR, 1);
            long offset = configSpace.get(CAP_PCI_CFG + VirtioPci.VIRTIO_PCI_CAP_OFFSET, 4);
            int length = (int) configSpace.get(CAP_PCI_CFG + VirtioPci.VIRTIO_PCI_CAP_LENGTH, 4);
            long size = bar == VIRTIO_BAR ? VirtioBar.SIZE : bar == MSIX_BAR ? MsixTable.BAR_SIZE : 0;
            boolean ok = (length == 1 || length == 2 || length == 4) && offset % length == 0 && offset + length <= size;
            if (!ok) {
                faults.count(RegisterFault.PCI_CFG_WINDOW_REFUSED);
            }
            window[0] = bar;
            window[1] = (int) offset;
            window[2] = length;
            return ok;
        }

        private PciRegion.Access target() {
            return window[0] == VIRTIO_BAR ? virtio : table;
        }

        @Override
        public synchronized long read(int width) {
            return valid() ? target().read(window[1], window[2]) : 0;
        }

        @Override
        public synchronized void write(int width, long value) {
            if (valid()) {
                target().write(window[1], window[2], value);
            }
        }
    }

    // ---------------------------------------------------------------- PciDevice

    @Override public PciAddress address() { return address; }
    @Override public String provider() { return PciEmul.PROVIDER; }
    @Override public PciRegion config() { return config; }
    @Override public Optional<PciMsix> msix() { return Optional.of(msix); }
    @Override public PciDma dma() { return dma; }

    @Override
    public List<PciBar> bars() {
        return List.of(new PciBar(MSIX_BAR, PciBar.Type.MEM32, false, configSpace.barAddress(PciBar.Type.MEM32, MSIX_BAR), msixRegion),
                new PciBar(VIRTIO_BAR, PciBar.Type.MEM64, true, configSpace.barAddress(PciBar.Type.MEM64, VIRTIO_BAR), virtioRegion));
    }

    /** The refused register accesses, then the model's queue counters summed over its queues. */
    @Override
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>(faults.snapshot());
        for (int q = 0; q < model.vqCount(); q++) {
            model.vendorVqStats(q).forEach((k, v) -> m.merge(k, v, Long::sum));
        }
        m.put("config_refused", model.configRefused());
        return m;
    }

    /** The model's name (its link end), for listings. */
    NetModel model() {
        return model;
    }

    RegisterFault.Counters faults() {
        return faults;
    }

    /**
     * The function goes (after it left the bus): MSI-X off, the model reset and closed, the DMA
     * window emptied. Idempotent.
     */
    void close() {
        msix.disable();
        common.reset();
        dma.clear();
        model.close();
    }
}
