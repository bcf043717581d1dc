package pci.emul.internal;

import static pci.bus.PciRegs.PCI_MSIX_ENTRY_CTRL_MASKBIT;
import static pci.bus.PciRegs.PCI_MSIX_ENTRY_DATA;
import static pci.bus.PciRegs.PCI_MSIX_ENTRY_LOWER_ADDR;
import static pci.bus.PciRegs.PCI_MSIX_ENTRY_SIZE;
import static pci.bus.PciRegs.PCI_MSIX_ENTRY_UPPER_ADDR;
import static pci.bus.PciRegs.PCI_MSIX_ENTRY_VECTOR_CTRL;
import static pci.bus.PciRegs.PCI_MSIX_FLAGS_ENABLE;
import static pci.bus.PciRegs.PCI_MSIX_FLAGS_MASKALL;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import pci.bus.PciRegion;

/**
 * The device side of an emulated function's MSI-X (PCI 3.0 section 6.8.2): the vector table and
 * the Pending Bit Array, both in one BAR ({@link #TABLE_OFFSET}, {@link #PBA_OFFSET}), and the
 * Enable and Function Mask bits of Message Control, which configuration space hands over on every
 * write. {@link #fire} is what the function does when an event is mapped to a vector: send the
 * entry's message, or set its pending bit while the vector or the function is masked; unmasking
 * sends what is pending. Messages go to a {@link Sink}, the platform side.
 *
 * <p>Entries reset masked, as the specification requires. Table accesses must be naturally
 * aligned DWORDs or QWORDs; the PBA is read-only. Anything else is a counted
 * {@link RegisterFault#MSIX_TABLE_BAD_ACCESS}.
 */
final class MsixTable implements PciRegion.Access {

    /** Where the platform side receives the messages the function sends (a memory write on a real bus). */
    interface Sink {
        void message(long address, int data);
    }

    static final int TABLE_OFFSET = 0;
    static final int PBA_OFFSET = 0x800;
    /** The BAR that holds table and PBA. */
    static final int BAR_SIZE = 0x1000;
    /** Most vectors: the table must end before the PBA. */
    static final int MAX_VECTORS = PBA_OFFSET / PCI_MSIX_ENTRY_SIZE;

    private final int size;
    private final long[] address;
    private final int[] data;
    private final int[] control;
    private final long[] pending;
    private final RegisterFault.Counters faults;
    private final BooleanSupplier busMaster;
    private volatile Sink sink;
    private volatile boolean enabled;
    private boolean functionMask;

    MsixTable(int size, RegisterFault.Counters faults, BooleanSupplier busMaster) {
        if (size < 1 || size > MAX_VECTORS) {
            throw new IllegalArgumentException("MSI-X table of " + size + " vectors: 1.." + MAX_VECTORS + " fit the BAR");
        }
        this.size = size;
        this.address = new long[size];
        this.data = new int[size];
        this.control = new int[size];
        this.pending = new long[(size + 63) / 64];
        this.faults = faults;
        this.busMaster = busMaster;
        java.util.Arrays.fill(control, PCI_MSIX_ENTRY_CTRL_MASKBIT);
    }

    int size() {
        return size;
    }

    /** MSI-X Enable: while it is off the function signals through ISR status instead. Any thread. */
    boolean enabled() {
        return enabled;
    }

    void connect(Sink sink) {
        this.sink = sink;
    }

    /** Message Control changed in configuration space (its Enable and Function Mask bits). */
    void controlWritten(int flags) {
        List<Message> due;
        synchronized (this) {
            enabled = (flags & PCI_MSIX_FLAGS_ENABLE) != 0;
            functionMask = (flags & PCI_MSIX_FLAGS_MASKALL) != 0;
            due = takeDeliverable();
        }
        send(due);
    }

    /** An event for {@code vector}: sent, or pending while masked. Off while MSI-X is disabled. */
    void fire(int vector) {
        if (vector < 0 || vector >= size) {
            return;
        }
        long a;
        int d;
        synchronized (this) {
            if (!enabled) {
                return;
            }
            if (functionMask || (control[vector] & PCI_MSIX_ENTRY_CTRL_MASKBIT) != 0) {
                pending[vector >> 6] |= 1L << vector;
                return;
            }
            a = address[vector];
            d = data[vector];
        }
        deliver(a, d);
    }

    private void deliver(long a, int d) {
        if (!busMaster.getAsBoolean()) {
            faults.count(RegisterFault.MSIX_BLOCKED_NO_BUS_MASTER);
            return;
        }
        Sink s = sink;
        if (s != null) {
            s.message(a, d);
        } else {
            faults.count(RegisterFault.MSIX_LOST_MESSAGE);
        }
    }

    /** A message owed to the platform. */
    private record Message(long address, int data) {}

    /** The pending vectors that may go now, cleared, as their messages; under the lock. Rare: on unmask only. */
    private List<Message> takeDeliverable() {
        if (!enabled || functionMask) {
            return List.of();
        }
        List<Message> due = List.of();
        for (int v = 0; v < size; v++) {
            if ((pending[v >> 6] & (1L << v)) != 0 && (control[v] & PCI_MSIX_ENTRY_CTRL_MASKBIT) == 0) {
                pending[v >> 6] &= ~(1L << v);
                if (due.isEmpty()) {
                    due = new ArrayList<>();
                }
                due.add(new Message(address[v], data[v]));
            }
        }
        return due;
    }

    /** Sends outside the lock: the platform runs the driver's handler. */
    private void send(List<Message> due) {
        for (Message m : due) {
            deliver(m.address(), m.data());
        }
    }

    // ---------------------------------------------------------------- the BAR

    @Override
    public long read(long offset, int width) {
        if (!aligned(offset, width)) {
            faults.count(RegisterFault.MSIX_TABLE_BAD_ACCESS);
            return 0;
        }
        synchronized (this) {
            if (offset < (long) size * PCI_MSIX_ENTRY_SIZE) {
                long v = dword(offset);
                return width == 8 ? v | ((long) dword(offset + 4) << 32) : v;
            }
            long pba = offset - PBA_OFFSET;
            if (pba >= 0 && pba < 8L * pending.length) {
                long word = pending[(int) (pba / 8)];
                return width == 8 ? word : (word >>> (8 * (pba % 8))) & 0xffff_ffffL;
            }
        }
        return 0;
    }

    @Override
    public void write(long offset, int width, long value) {
        if (!aligned(offset, width) || offset >= (long) size * PCI_MSIX_ENTRY_SIZE) {
            // the PBA is read-only, and nothing else is in the BAR
            faults.count(RegisterFault.MSIX_TABLE_BAD_ACCESS);
            return;
        }
        List<Message> due;
        synchronized (this) {
            setDword(offset, (int) value);
            if (width == 8) {
                setDword(offset + 4, (int) (value >>> 32));
            }
            due = takeDeliverable();
        }
        send(due);
    }

    private static boolean aligned(long offset, int width) {
        return (width == 4 || width == 8) && offset % width == 0;
    }

    private int dword(long offset) {
        int v = (int) (offset / PCI_MSIX_ENTRY_SIZE);
        return switch ((int) (offset % PCI_MSIX_ENTRY_SIZE)) {
            case PCI_MSIX_ENTRY_LOWER_ADDR -> (int) address[v];
            case PCI_MSIX_ENTRY_UPPER_ADDR -> (int) (address[v] >>> 32);
            case PCI_MSIX_ENTRY_DATA -> data[v];
            default -> control[v];
        };
    }

    private void setDword(long offset, int value) {
        int v = (int) (offset / PCI_MSIX_ENTRY_SIZE);
        switch ((int) (offset % PCI_MSIX_ENTRY_SIZE)) {
            case PCI_MSIX_ENTRY_LOWER_ADDR -> address[v] = (address[v] & ~0xffff_ffffL) | (value & 0xffff_fffcL);
            case PCI_MSIX_ENTRY_UPPER_ADDR -> address[v] = (address[v] & 0xffff_ffffL) | ((long) value << 32);
            case PCI_MSIX_ENTRY_DATA -> data[v] = value;
            // only the mask bit of Vector Control is defined; the rest reads 0
            case PCI_MSIX_ENTRY_VECTOR_CTRL -> control[v] = value & PCI_MSIX_ENTRY_CTRL_MASKBIT;
            default -> throw new AssertionError(offset);
        }
    }
}
