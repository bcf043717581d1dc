package pci.emul.internal;

import driver.core.BusException;
import driver.core.DeviceRegistration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import pci.bus.PciAddress;
import pci.bus.PciBus;
import pci.bus.PciProvider;
import pci.emul.PciEmul;
import vdpa.sim.model.NetModel;
import vdpa.sim.model.NetModels;
import virtio.net.api.MacAddress;
import virtio.spec.VirtioNet;

/**
 * The {@value PciEmul#PROVIDER} provider: makes emulated functions over the simulator's models and
 * puts them on the PCI bus; deleting one is a hot unplug (the bus removes its driver, and with it
 * everything the driver built above, before the function goes). Also published under its own class
 * for the configuration component and the shell commands of this bundle.
 *
 * <p>Its lock guards only its tables and is never held while the bus registers or unregisters a
 * function (listeners of those service events run on the calling thread). A slot is reserved
 * first, so it cannot be taken twice; until its registration returns it cannot be deleted.
 */
@Component(service = {PciProvider.class, EmulProvider.class})
public final class EmulProvider implements PciProvider {

    /** A function made here; no registration yet while it is being added. */
    private record Entry(EmulatedFunction function, DeviceRegistration registration) {}

    /** What {@code pci:emul show} lists of one function. */
    record Info(String slot, String model, String mac, int mtu, int maxVqp, String link, boolean linkUp, long refusedAccesses) {}

    /** A configuration that asked for a function and was refused, by its source. */
    record Refusal(String source, String reason) {}

    private static final System.Logger LOG = System.getLogger("pci.emul");

    private final PciBus bus;
    private final NetModels models;
    private final Map<PciAddress, Entry> functions = new TreeMap<>();
    private final Map<String, Refusal> refusals = new LinkedHashMap<>();
    private boolean closed;

    @Activate
    public EmulProvider(@Reference(name = "bus") PciBus bus, @Reference(name = "models") NetModels models) {
        this.bus = bus;
        this.models = models;
    }

    @Override
    public String name() {
        return PciEmul.PROVIDER;
    }

    @Override
    public synchronized String status() {
        String s = functions.size() + (functions.size() == 1 ? " function" : " functions");
        return refusals.isEmpty() ? s : s + ", " + refusals.size() + " configuration(s) refused (pci:emul show)";
    }

    /** Creates the function and its model and plugs it into the bus; on refusal nothing stays behind. */
    void add(FunctionSpec spec) throws BusException {
        if (bus.device(spec.slot().toString()).isPresent()) {
            throw taken(spec.slot());
        }
        synchronized (this) {
            if (closed) {
                throw new BusException("the " + PciEmul.PROVIDER + " provider went away");
            }
            if (functions.containsKey(spec.slot())) {
                throw taken(spec.slot());
            }
            functions.put(spec.slot(), new Entry(null, null));
        }
        EmulatedFunction f;
        DeviceRegistration reg;
        try {
            NetModel model = models.create(spec.model());
            f = new EmulatedFunction(spec.slot(), model);
            try {
                // outside the lock: the bus publishes the function and a driver may probe it on this thread's events
                reg = bus.register(f, Map.of());
            } catch (BusException | RuntimeException e) {
                f.close();
                throw e;
            }
        } catch (BusException | RuntimeException e) {
            synchronized (this) {
                functions.remove(spec.slot());
            }
            throw e instanceof BusException b ? b : new BusException(spec.slot() + ": " + e.getMessage());
        }
        synchronized (this) {
            if (!closed) {
                functions.put(spec.slot(), new Entry(f, reg));
                return;
            }
            functions.remove(spec.slot());
        }
        unplug(new Entry(f, reg));
        throw new BusException("the " + PciEmul.PROVIDER + " provider went away while " + spec.slot() + " was added");
    }

    private static BusException taken(PciAddress slot) {
        return new BusException("slot " + slot + " is already taken");
    }

    /** Hot unplug: the bus takes the function (its driver first), then the function and its model go. */
    void delete(PciAddress slot) throws BusException {
        Entry e;
        synchronized (this) {
            e = functions.get(slot);
            if (e == null) {
                throw new BusException("no emulated function at " + slot);
            }
            if (e.registration() == null) {
                throw new BusException("the function at " + slot + " is still being added");
            }
            functions.remove(slot);
        }
        unplug(e);
    }

    private static void unplug(Entry e) {
        e.registration().unregister();
        e.function().close();
    }

    /** Records a configuration's refusal, logged once on one line, until {@link #withdraw}. */
    void refuse(String pid, Refusal refusal) {
        synchronized (this) {
            refusals.put(pid, refusal);
        }
        LOG.log(System.Logger.Level.WARNING, "{0} provider refused {1}: {2}", name(), refusal.source(), refusal.reason());
    }

    synchronized void withdraw(String pid) {
        refusals.remove(pid);
    }

    synchronized List<Refusal> refusals() {
        return List.copyOf(refusals.values());
    }

    synchronized List<Info> list() {
        List<Info> out = new ArrayList<>();
        for (Map.Entry<PciAddress, Entry> e : functions.entrySet()) {
            EmulatedFunction f = e.getValue().function();
            if (f == null) {
                continue;
            }
            NetModel m = f.model();
            long refused = f.faults().snapshot().values().stream().mapToLong(Long::longValue).sum();
            out.add(new Info(e.getKey().toString(), m.name(), MacAddress.of(m.getConfig(VirtioNet.VIRTIO_NET_CONFIG_MAC, 6)).toString(),
                    mtu(m), (m.vqCount() - 1) / 2, m.link(), m.linkUp(), refused));
        }
        return out;
    }

    private static int mtu(NetModel m) {
        byte[] b = m.getConfig(VirtioNet.VIRTIO_NET_CONFIG_MTU, 2);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8;
    }

    /** The function at {@code slot}, for tests. */
    synchronized EmulatedFunction function(PciAddress slot) {
        Entry e = functions.get(slot);
        return e == null ? null : e.function();
    }

    /** Every function goes when the provider goes: each a hot unplug. */
    @Deactivate
    void deactivate() {
        List<Entry> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            refusals.clear();
            for (var it = functions.values().iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (e.registration() != null) {
                    all.add(e);
                    it.remove();
                }
            }
        }
        for (Entry e : all.reversed()) {
            unplug(e);
        }
    }
}
