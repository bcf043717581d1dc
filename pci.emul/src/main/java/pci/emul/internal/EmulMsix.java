package pci.emul.internal;

import static pci.bus.PciRegs.PCI_MSIX_ENTRY_CTRL_MASKBIT;
import static pci.bus.PciRegs.PCI_MSIX_ENTRY_DATA;
import static pci.bus.PciRegs.PCI_MSIX_ENTRY_LOWER_ADDR;
import static pci.bus.PciRegs.PCI_MSIX_ENTRY_SIZE;
import static pci.bus.PciRegs.PCI_MSIX_ENTRY_UPPER_ADDR;
import static pci.bus.PciRegs.PCI_MSIX_ENTRY_VECTOR_CTRL;
import static pci.bus.PciRegs.PCI_MSIX_FLAGS;
import static pci.bus.PciRegs.PCI_MSIX_FLAGS_ENABLE;
import static pci.bus.PciRegs.PCI_MSIX_FLAGS_MASKALL;

import java.util.List;
import java.util.Objects;
import pci.bus.PciInterruptHandler;
import pci.bus.PciMsix;
import pci.bus.PciRegion;

/**
 * The platform side of an emulated function's MSI-X, what the kernel's pci_alloc_irq_vectors,
 * request_irq and the interrupt controller do together: {@link #enable} programs the function's
 * table through its BAR (one message per vector, at the x86 MSI address {@link #MSI_ADDRESS} with
 * data {@link #DATA_BASE} + vector) and sets MSI-X Enable in configuration space, as a driver's
 * platform would; a message the function sends is turned back into the handler of its vector.
 * A message nobody set up (the table written by hand with other values) is lost and counted.
 *
 * <p>Delivery and {@link #disable} share a lock, so once disable returns no handler runs; a
 * handler may itself disable (the lock is reentrant).
 */
final class EmulMsix implements PciMsix, MsixTable.Sink {

    /** The x86 local APIC's MSI window: where this platform's messages are addressed. */
    static final long MSI_ADDRESS = 0xfee0_0000L;
    /** Message data of vector 0; vector n sends this plus n. */
    static final int DATA_BASE = 0x4000;

    private final MsixTable table;
    private final PciRegion config;
    private final int capability;
    private final PciRegion bar;
    private final RegisterFault.Counters faults;
    private final Object lock = new Object();
    private PciInterruptHandler[] handlers;

    /**
     * @param config the function's configuration space, as a driver sees it
     * @param capability the offset of the MSI-X capability in it
     * @param bar the BAR of table and PBA, as a driver sees it
     */
    EmulMsix(MsixTable table, PciRegion config, int capability, PciRegion bar, RegisterFault.Counters faults) {
        this.table = table;
        this.config = config;
        this.capability = capability;
        this.bar = bar;
        this.faults = faults;
        table.connect(this);
    }

    @Override
    public int tableSize() {
        return table.size();
    }

    @Override
    public void enable(List<PciInterruptHandler> list) {
        Objects.requireNonNull(list, "handlers");
        if (list.isEmpty() || list.size() > table.size()) {
            throw new IllegalArgumentException(list.size() + " vectors asked for; the table has 1.." + table.size());
        }
        PciInterruptHandler[] hs = list.toArray(PciInterruptHandler[]::new);
        for (PciInterruptHandler h : hs) {
            Objects.requireNonNull(h, "handler");
        }
        synchronized (lock) {
            if (handlers != null) {
                throw new IllegalStateException("MSI-X is enabled already, with " + handlers.length + " vectors");
            }
            int flags = config.read16(capability + PCI_MSIX_FLAGS);
            // the table is programmed with the function masked, as the kernel does, then unmasked at once
            config.write16(capability + PCI_MSIX_FLAGS, flags | PCI_MSIX_FLAGS_MASKALL | PCI_MSIX_FLAGS_ENABLE);
            for (int v = 0; v < hs.length; v++) {
                long entry = (long) v * PCI_MSIX_ENTRY_SIZE;
                bar.write32(entry + PCI_MSIX_ENTRY_LOWER_ADDR, (int) MSI_ADDRESS);
                bar.write32(entry + PCI_MSIX_ENTRY_UPPER_ADDR, 0);
                bar.write32(entry + PCI_MSIX_ENTRY_DATA, DATA_BASE + v);
                bar.write32(entry + PCI_MSIX_ENTRY_VECTOR_CTRL, 0);
                if (bar.read32(entry + PCI_MSIX_ENTRY_DATA) != DATA_BASE + v) {
                    config.write16(capability + PCI_MSIX_FLAGS, flags & ~(PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL));
                    throw new IllegalStateException("the MSI-X table did not take vector " + v
                            + " (is Memory Space enabled in the Command register?)");
                }
            }
            handlers = hs;
            config.write16(capability + PCI_MSIX_FLAGS, (flags | PCI_MSIX_FLAGS_ENABLE) & ~PCI_MSIX_FLAGS_MASKALL);
        }
    }

    @Override
    public void disable() {
        synchronized (lock) {
            if (handlers == null) {
                return;
            }
            int flags = config.read16(capability + PCI_MSIX_FLAGS);
            config.write16(capability + PCI_MSIX_FLAGS, flags & ~(PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL));
            for (int v = 0; v < handlers.length; v++) {
                bar.write32((long) v * PCI_MSIX_ENTRY_SIZE + PCI_MSIX_ENTRY_VECTOR_CTRL, PCI_MSIX_ENTRY_CTRL_MASKBIT);
            }
            handlers = null;
        }
    }

    @Override
    public int enabledVectors() {
        synchronized (lock) {
            return handlers == null ? 0 : handlers.length;
        }
    }

    @Override
    public void mask(int vector, boolean masked) {
        synchronized (lock) {
            if (handlers == null || vector < 0 || vector >= handlers.length) {
                throw new IllegalArgumentException("vector " + vector + " is not enabled (" + enabledVectors() + " are)");
            }
            bar.write32((long) vector * PCI_MSIX_ENTRY_SIZE + PCI_MSIX_ENTRY_VECTOR_CTRL, masked ? PCI_MSIX_ENTRY_CTRL_MASKBIT : 0);
        }
    }

    /** A message from the function: the handler of the vector it was set up for. */
    @Override
    public void message(long address, int data) {
        synchronized (lock) {
            PciInterruptHandler[] hs = handlers;
            int v = data - DATA_BASE;
            if (hs == null || address != MSI_ADDRESS || v < 0 || v >= hs.length) {
                faults.count(RegisterFault.MSIX_LOST_MESSAGE);
                return;
            }
            try {
                hs[v].interrupt(v);
            } catch (RuntimeException e) {
                // a driver's handler that throws must not reach the function's worker
                System.getLogger("pci.emul").log(System.Logger.Level.WARNING, "MSI-X handler of vector " + v + " threw", e);
            }
        }
    }
}
