package vdpa.hw.pci.internal;

import static pci.bus.PciRegs.PCI_COMMAND;
import static pci.bus.PciRegs.PCI_COMMAND_MASTER;
import static pci.bus.PciRegs.PCI_COMMAND_MEMORY;

import driver.core.BusException;
import driver.core.DeviceContext;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import pci.bus.PciBar;
import pci.bus.PciDevice;
import pci.bus.PciDriver;
import pci.bus.PciRegs;
import virtio.spec.VirtioPci;
import vdpa.bus.VdpaBus;
import vdpa.bus.VdpaDevAttrs;
import vdpa.bus.VdpaMgmtDevice;
import vdpa.bus.VdpaRefusal;

/**
 * The vp_vdpa driver in plain Java (the DS component is a thin shell): probe enables the function
 * (Memory Space, Bus Master), reads and checks its virtio capabilities, resets it and publishes its
 * management device; remove takes the management device's vDPA device off the bus (everything
 * above it goes first), withdraws the management device, resets the function, empties its DMA
 * window and disables it again. A failed probe leaves the function as it found it.
 *
 * <p>Configured devices ({@link #want}) are added whenever their management device is published,
 * so a function that comes back, or this driver reinstalled, rebuilds its stack.
 */
public class VpPciDriver implements PciDriver {

    private static final System.Logger LOG = System.getLogger("vdpa.hw.pci");

    /** Publishes a management device as a service; closing the handle withdraws it. */
    @FunctionalInterface
    public interface Publisher {
        AutoCloseable publish(VdpaMgmtDevice mgmt);
    }

    /** A vDPA device configuration asks for. */
    record Want(String source, String mgmtdev, VdpaDevAttrs attrs) {}

    private record Bound(VpModern hw, VpMgmtDevice mgmt, AutoCloseable service) {}

    private final VdpaBus bus;
    private final Publisher publisher;
    private final Map<PciDevice, Bound> bound = new IdentityHashMap<>();
    private final Map<String, Want> wants = new LinkedHashMap<>();

    public VpPciDriver(VdpaBus bus, Publisher publisher) {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    @Override
    public void probe(PciDevice f, DeviceContext context) throws Exception {
        int revision = f.config().read8(PciRegs.PCI_REVISION_ID);
        if (revision < VirtioPci.VIRTIO_PCI_MODERN_REVISION_MIN) {
            throw new IllegalStateException(f.address() + " has revision " + revision + ": a modern-only function has 1 or more");
        }
        VirtioPciCaps caps = capabilities(f);
        String refusal = caps.refusal();
        if (refusal != null) {
            throw new IllegalStateException(f.address() + ": " + refusal);
        }
        int command = f.config().read16(PCI_COMMAND);
        f.config().write16(PCI_COMMAND, command | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
        VpMgmtDevice mgmt;
        AutoCloseable service;
        VpModern hw;
        try {
            hw = new VpModern(f, caps);
            if (!hw.reset()) {
                throw new IllegalStateException(f.address() + " did not finish its reset within " + VpModern.RESET_TIMEOUT);
            }
            mgmt = new VpMgmtDevice(hw, bus);
            service = publisher.publish(mgmt);
        } catch (RuntimeException e) {
            f.config().write16(PCI_COMMAND, command);
            throw e;
        }
        for (String problem : caps.problems()) {
            LOG.log(System.Logger.Level.WARNING, "{0}: {1}", f.address(), problem);
        }
        List<Want> now;
        synchronized (this) {
            bound.put(f, new Bound(hw, mgmt, service));
            now = wantsOf(mgmt.name());
        }
        now.forEach(w -> add(mgmt, w));
    }

    /** The function's virtio structures, checked against its memory BARs. */
    static VirtioPciCaps capabilities(PciDevice f) {
        return VirtioPciCaps.read(f.config(), i -> f.bar(i).filter(b -> b.type().memory()).map(PciBar::size).orElse(0L));
    }

    @Override
    public void remove(PciDevice f, DeviceContext context) {
        Bound b;
        synchronized (this) {
            b = bound.remove(f);
        }
        if (b != null) {
            release(f, b);
        }
    }

    private static void release(PciDevice f, Bound b) {
        b.mgmt().close();
        try {
            b.service().close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: withdrawing the management device failed: {1}", f.address(), e.toString());
        }
        try {
            if (!b.hw().reset()) {
                LOG.log(System.Logger.Level.WARNING, "{0} did not finish its reset on remove", f.address());
            }
            f.msix().ifPresent(m -> m.disable());
            for (var m : f.dma().mappings()) {
                f.dma().unmap(m.iova(), m.size());
            }
            int command = f.config().read16(PCI_COMMAND);
            f.config().write16(PCI_COMMAND, command & ~(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER));
        } catch (RuntimeException e) {
            // a function that went bad under us: nothing more to do for it
            LOG.log(System.Logger.Level.WARNING, "{0}: quiescing on remove failed: {1}", f.address(), e.toString());
        }
    }

    /** Takes down every function still bound (the component going away). */
    public void removeAll() {
        List<Map.Entry<PciDevice, Bound>> all;
        synchronized (this) {
            all = new ArrayList<>(bound.entrySet());
            bound.clear();
        }
        for (var e : all.reversed()) {
            release(e.getKey(), e.getValue());
        }
    }

    /** The management devices of the bound functions. */
    synchronized List<VpMgmtDevice> mgmtdevs() {
        return bound.values().stream().map(Bound::mgmt).toList();
    }

    // ---------------------------------------------------------------- configured devices

    /** A configuration asks for a device: added now if its management device is there, else when it comes. */
    void want(String pid, Want w) {
        VpMgmtDevice m;
        synchronized (this) {
            wants.put(pid, w);
            m = mgmt(w.mgmtdev());
        }
        if (m != null) {
            add(m, w);
        }
    }

    /** The configuration went: its device goes if it is there. */
    void unwant(String pid) {
        Want w;
        VpMgmtDevice m;
        synchronized (this) {
            w = wants.remove(pid);
            m = w == null ? null : mgmt(w.mgmtdev());
        }
        if (m == null) {
            return;
        }
        m.withdraw(w.source());
        if (w.attrs().name().equals(m.deviceName())) {
            try {
                m.delete(w.attrs().name());
            } catch (BusException gone) {
                // deleted by hand already (vdpa dev del)
            }
        }
    }

    private VpMgmtDevice mgmt(String name) {
        return bound.values().stream().map(Bound::mgmt).filter(m -> m.name().equals(name)).findFirst().orElse(null);
    }

    private List<Want> wantsOf(String mgmtdev) {
        return wants.values().stream().filter(w -> w.mgmtdev().equals(mgmtdev)).toList();
    }

    private static void add(VpMgmtDevice m, Want w) {
        try {
            m.add(w.attrs());
            m.withdraw(w.source());
        } catch (BusException refused) {
            m.refuse(new VdpaRefusal(w.source(), refused.getMessage()));
            LOG.log(System.Logger.Level.WARNING, "{0} refused {1}: {2}", m.name(), w.source(), refused.getMessage());
        }
    }
}
