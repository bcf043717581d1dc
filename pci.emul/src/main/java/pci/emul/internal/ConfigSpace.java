package pci.emul.internal;

import static pci.bus.PciRegs.PCI_BASE_ADDRESS_MEM_PREFETCH;
import static pci.bus.PciRegs.PCI_BASE_ADDRESS_MEM_TYPE_64;
import static pci.bus.PciRegs.PCI_CAPABILITY_LIST;
import static pci.bus.PciRegs.PCI_CFG_SPACE_SIZE;
import static pci.bus.PciRegs.PCI_COMMAND;
import static pci.bus.PciRegs.PCI_COMMAND_INTX_DISABLE;
import static pci.bus.PciRegs.PCI_COMMAND_IO;
import static pci.bus.PciRegs.PCI_COMMAND_MASTER;
import static pci.bus.PciRegs.PCI_COMMAND_MEMORY;
import static pci.bus.PciRegs.PCI_DEVICE_ID;
import static pci.bus.PciRegs.PCI_MSIX_FLAGS;
import static pci.bus.PciRegs.PCI_MSIX_FLAGS_ENABLE;
import static pci.bus.PciRegs.PCI_MSIX_FLAGS_MASKALL;
import static pci.bus.PciRegs.PCI_REVISION_ID;
import static pci.bus.PciRegs.PCI_STATUS;
import static pci.bus.PciRegs.PCI_STATUS_CAP_LIST;
import static pci.bus.PciRegs.PCI_SUBSYSTEM_ID;
import static pci.bus.PciRegs.PCI_SUBSYSTEM_VENDOR_ID;
import static pci.bus.PciRegs.PCI_VENDOR_ID;

import pci.bus.PciBar;
import pci.bus.PciRegion;

/**
 * An emulated function's 256-byte configuration space (PCI 3.0 section 6.1): a type 0 header and
 * a capability list, every byte with a write mask. What a driver may change: Command (I/O, Memory,
 * Bus Master, INTx Disable), Cache Line Size and Interrupt Line (scratch), the address bits of each
 * implemented BAR (so writing all ones and reading back gives its size, as BAR sizing does),
 * Message Control's Enable and Function Mask, and the window fields of a virtio PCI-config-access
 * capability. Everything else is read-only and writes to it are dropped, as on hardware.
 *
 * <p>Writes that matter to the rest of the function are handed on: Command to {@link Listener},
 * Message Control to the MSI-X table, and the window's data bytes to {@link Window}. Accesses must
 * be naturally aligned; others read all ones and are dropped, counted.
 */
final class ConfigSpace implements PciRegion.Access {

    /** Told about Command changes. */
    interface Listener {
        void commandChanged(int command);
    }

    /** A capability whose data bytes are a window onto something else (VIRTIO_PCI_CAP_PCI_CFG). */
    interface Window {
        long read(int width);

        void write(int width, long value);
    }

    private static final int COMMAND_WRITABLE = PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE;
    private static final int CACHE_LINE_SIZE = 0x0c;
    private static final int INTERRUPT_LINE = 0x3c;

    private final byte[] bytes = new byte[PCI_CFG_SPACE_SIZE];
    private final byte[] writable = new byte[PCI_CFG_SPACE_SIZE];
    private final RegisterFault.Counters faults;
    private Listener listener = c -> {};
    private MsixTable msix;
    private int msixAt;
    private Window window;
    private int windowData;
    private int lastCapability;

    ConfigSpace(int vendor, int device, int classCode, int revision, int subsystemVendor, int subsystem,
            RegisterFault.Counters faults) {
        this.faults = faults;
        put(PCI_VENDOR_ID, 2, vendor);
        put(PCI_DEVICE_ID, 2, device);
        put(PCI_COMMAND, 2, 0);
        mask(PCI_COMMAND, 2, COMMAND_WRITABLE);
        put(PCI_REVISION_ID, 4, (classCode << 8) | revision);
        mask(CACHE_LINE_SIZE, 1, 0xff);
        put(PCI_SUBSYSTEM_VENDOR_ID, 2, subsystemVendor);
        put(PCI_SUBSYSTEM_ID, 2, subsystem);
        mask(INTERRUPT_LINE, 1, 0xff);
        // Interrupt Pin stays 0: the function has no INTx, only MSI-X
    }

    void listen(Listener l) {
        this.listener = l;
    }

    /** Implements a memory BAR of {@code bar.size()} bytes: its flags read-only, its address bits writable. */
    void bar(PciBar.Type type, int index, boolean prefetchable, long size, long address) {
        int flags = (type == PciBar.Type.MEM64 ? PCI_BASE_ADDRESS_MEM_TYPE_64 : 0) | (prefetchable ? PCI_BASE_ADDRESS_MEM_PREFETCH : 0);
        int at = pci.bus.PciRegs.barOffset(index);
        put(at, 4, ((int) address & ~(int) (size - 1)) | flags);
        mask(at, 4, ~(int) (size - 1) & ~0xf);
        if (type == PciBar.Type.MEM64) {
            put(at + 4, 4, (int) (address >>> 32));
            mask(at + 4, 4, -1);
        }
    }

    /** The address a BAR is programmed with now. */
    synchronized long barAddress(PciBar.Type type, int index) {
        int at = pci.bus.PciRegs.barOffset(index);
        long low = get(at, 4) & 0xffff_fff0L;
        return type == PciBar.Type.MEM64 ? low | (get(at + 4, 4) << 32) : low;
    }

    /**
     * Links a capability at {@code offset}: {@code body} is everything after ID and next pointer.
     * Capabilities are linked in the order they are added.
     */
    void capability(int offset, int id, byte[] body) {
        if (lastCapability == 0) {
            put(PCI_STATUS, 2, PCI_STATUS_CAP_LIST);
            put(PCI_CAPABILITY_LIST, 1, offset);
        } else {
            put(lastCapability + 1, 1, offset);
        }
        lastCapability = offset;
        put(offset, 1, id);
        System.arraycopy(body, 0, bytes, offset + 2, body.length);
    }

    /** Makes {@code length} bytes at {@code offset} writable (a window's bar, offset and length fields). */
    void writableBytes(int offset, int length) {
        for (int i = 0; i < length; i++) {
            writable[offset + i] = (byte) 0xff;
        }
    }

    /** The MSI-X capability at {@code offset}: Message Control's Enable and Function Mask go to the table. */
    void msix(int offset, MsixTable table) {
        this.msix = table;
        this.msixAt = offset;
        mask(offset + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
    }

    /** The four data bytes at {@code offset} are a window. */
    void window(int offset, Window w) {
        this.window = w;
        this.windowData = offset;
    }

    int command() {
        synchronized (this) {
            return (int) get(PCI_COMMAND, 2);
        }
    }

    /** A byte range's value; under the lock. */
    synchronized long get(int offset, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | (bytes[offset + i] & 0xff);
        }
        return v;
    }

    private void put(int offset, int width, long value) {
        for (int i = 0; i < width; i++) {
            bytes[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    private void mask(int offset, int width, int bits) {
        for (int i = 0; i < width; i++) {
            writable[offset + i] = (byte) (bits >>> (8 * i));
        }
    }

    private boolean inWindow(long offset) {
        return window != null && offset == windowData;
    }

    @Override
    public long read(long offset, int width) {
        if (offset % width != 0) {
            faults.count(RegisterFault.CONFIG_UNALIGNED);
            return width == 4 ? 0xffff_ffffL : (1L << (8 * width)) - 1;
        }
        if (inWindow(offset)) {
            return window.read(width);
        }
        return get((int) offset, width);
    }

    @Override
    public void write(long offset, int width, long value) {
        if (offset % width != 0) {
            faults.count(RegisterFault.CONFIG_UNALIGNED);
            return;
        }
        if (inWindow(offset)) {
            window.write(width, value);
            return;
        }
        int at = (int) offset;
        int command;
        int msixFlags;
        synchronized (this) {
            int oldCommand = (int) get(PCI_COMMAND, 2);
            int oldMsix = msix == null ? 0 : (int) get(msixAt + PCI_MSIX_FLAGS, 2);
            for (int i = 0; i < width; i++) {
                int m = writable[at + i] & 0xff;
                bytes[at + i] = (byte) ((bytes[at + i] & ~m) | ((int) (value >>> (8 * i)) & m));
            }
            command = (int) get(PCI_COMMAND, 2);
            command = command == oldCommand ? -1 : command;
            msixFlags = msix == null ? -1 : (int) get(msixAt + PCI_MSIX_FLAGS, 2);
            msixFlags = msixFlags == oldMsix ? -1 : msixFlags;
        }
        // outside the lock: these reach the function's other parts, which may read config back
        if (command >= 0) {
            listener.commandChanged(command);
        }
        if (msixFlags >= 0) {
            msix.controlWritten(msixFlags);
        }
    }
}
