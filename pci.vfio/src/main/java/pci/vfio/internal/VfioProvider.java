package pci.vfio.internal;

import driver.core.BusException;
import driver.core.DeviceRegistration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import pci.bus.PciBus;
import pci.bus.PciProvider;
import pci.vfio.PciVfio;

/**
 * The {@value PciVfio#PROVIDER} provider: at start it looks for functions bound to vfio-pci, opens
 * each through its group in one container and puts it on the PCI bus; when it goes, each is
 * unplugged (its driver first) and closed. Where the kernel has no VFIO ({@value PciVfio#CONTAINER}
 * absent) it does nothing, and its status says so. Discovery opens devices, so it runs on a thread
 * of its own, not in activation.
 */
@Component(service = PciProvider.class)
public final class VfioProvider implements PciProvider {

    private static final System.Logger LOG = System.getLogger("pci.vfio");

    private record Entry(VfioFunction function, DeviceRegistration registration) {}

    private final PciBus bus;
    private final Path sys;
    private final Path dev;
    private final List<Entry> entries = new ArrayList<>();
    private final Thread discovery;
    private VfioContainer container;
    private volatile String status = "looking for functions bound to " + PciVfio.KERNEL_DRIVER;
    private boolean closed;

    @Activate
    public VfioProvider(@Reference(name = "bus") PciBus bus) {
        this(bus, Path.of("/sys"), Path.of(PciVfio.CONTAINER).getParent());
    }

    /** A provider over other roots of sysfs and {@code /dev/vfio}, for tests. */
    VfioProvider(PciBus bus, Path sys, Path dev) {
        this.bus = bus;
        this.sys = sys;
        this.dev = dev;
        this.discovery = Thread.ofPlatform().name("vfio-discovery").daemon().start(this::discover);
    }

    @Override
    public String name() {
        return PciVfio.PROVIDER;
    }

    @Override
    public String status() {
        return status;
    }

    /** Waits for discovery to end (tests). */
    void awaitDiscovery() throws InterruptedException {
        discovery.join();
    }

    private void discover() {
        if (!Files.exists(dev.resolve("vfio"))) {
            status = dev.resolve("vfio") + " is absent: this kernel has no VFIO (or vfio is not loaded), so no function is passed through";
            return;
        }
        List<String> problems = new ArrayList<>();
        List<VfioSysfs.Bound> bound;
        try {
            bound = new VfioSysfs(sys).bound(problems);
        } catch (IOException e) {
            status = "cannot read " + sys + ": " + e.getMessage();
            return;
        }
        if (bound.isEmpty()) {
            status = "no function is bound to " + PciVfio.KERNEL_DRIVER + describe(problems);
            return;
        }
        try {
            VfioContainer c = VfioContainer.open(dev);
            synchronized (this) {
                container = c;
                if (closed) {
                    return;
                }
            }
        } catch (IOException e) {
            status = "the VFIO container refused: " + e.getMessage();
            return;
        }
        for (VfioSysfs.Bound b : bound) {
            try {
                open(b);
            } catch (IOException | BusException | RuntimeException e) {
                problems.add(b.address() + ": " + e.getMessage());
                LOG.log(System.Logger.Level.WARNING, "{0}: not passed through: {1}", b.address(), e.getMessage());
            }
        }
        synchronized (this) {
            status = entries.size() + (entries.size() == 1 ? " function" : " functions") + " through VFIO" + describe(problems);
        }
    }

    private void open(VfioSysfs.Bound b) throws IOException, BusException {
        VfioFunction f;
        synchronized (this) {
            if (closed) {
                return;
            }
            // the kernel's order: the group into the container and the IOMMU set, then the IOMMU's
            // ranges, then the device fd (VFIO_GROUP_GET_DEVICE_FD wants the IOMMU set)
            container.attach(b.group());
            List<VfioUapi.IovaRange> ranges = container.iovaRanges();
            // without the capability the IOMMU says nothing: 48 bits, what every x86 IOMMU maps
            VfioUapi.IovaRange r = ranges.isEmpty() ? new VfioUapi.IovaRange(0, (1L << 48) - 1) : ranges.get(0);
            f = new VfioFunction(b.address(), container.device(b.group(), b.address().toString()), new VfioDma(container, r.start(), r.end()));
        }
        DeviceRegistration reg;
        try {
            // outside the lock: the bus publishes the function and its driver may probe at once
            reg = bus.register(f, Map.of());
        } catch (BusException | RuntimeException e) {
            f.close();
            throw e;
        }
        synchronized (this) {
            if (!closed) {
                entries.add(new Entry(f, reg));
                return;
            }
        }
        reg.unregister();
        f.close();
    }

    private static String describe(List<String> problems) {
        return problems.isEmpty() ? "" : "; " + String.join("; ", problems);
    }

    /** Every function goes, each a hot unplug, then the container. */
    @Deactivate
    void deactivate() {
        List<Entry> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(entries);
            entries.clear();
        }
        try {
            discovery.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Entry e : all.reversed()) {
            e.registration().unregister();
            e.function().close();
        }
        synchronized (this) {
            if (container != null) {
                container.close();
                container = null;
            }
        }
    }
}
