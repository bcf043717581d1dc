package bench.net;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.StringJoiner;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import virtio.net.api.LinkState;
import virtio.net.api.NetDevice;
import virtio.net.api.NetDeviceConstants;

/**
 * A real Felix inside the JMH fork, running busbar's bundles as {@code runtime/} does: Declarative
 * Services, Configuration Admin, Event Admin, the Gogo runtime (busbar's bundles import its command
 * package), Gson and shell.format (what busbar's commands return) and the runtime's busbar bundles
 * in its order (linux.ffm, driver.core, virtio.spec, ... vhost.uapi, net.responder, pci.*: with no
 * address the responder touches no NetDevice), each installed from its jar in {@link #bundlesDir()}.
 *
 * <p>{@code virtio.net.api} is not installed: the system bundle exports it from this class path
 * ({@code org.osgi.framework.system.packages.extra}), so virtio.net's NetDevice services implement
 * the very {@link NetDevice} interface the benchmark calls. Configuration Admin's API stays inside
 * the framework (the bundles wire to it as in the runtime); this class reaches it by reflection,
 * only at setup.
 */
final class EmbeddedBusbar implements AutoCloseable {

    /** The folder of bundle jars (bench/run passes it); default target/bench-bundles of the working directory. */
    static final String BUNDLES_PROPERTY = "busbar.bench.bundles";
    /** The framework's storage folder, wiped at each start; default target/bench-felix. */
    static final String STORAGE_PROPERTY = "busbar.bench.storage";
    static final String SYSTEM_PACKAGES_EXTRA = "virtio.net.api;version=2.2.0";
    static final String FACTORY_PID = "vdpa.sim.net";

    /** Install and start order: the platform first, then busbar's bundles bottom up. */
    static final List<String> BUNDLES = List.of(
            "org.osgi.util.function",
            "org.osgi.util.promise",
            "org.osgi.service.component",
            "org.apache.felix.scr",
            "org.apache.felix.configadmin",
            "org.apache.felix.eventadmin",
            "org.apache.felix.gogo.runtime",
            "com.google.gson",
            "shell.format",
            "linux.ffm",
            "driver.core",
            "virtio.spec",
            "virtio.ring",
            "vdpa.bus",
            "virtio.bus",
            "virtio.vdpa",
            "vdpa.sim",
            "virtio.net",
            "vhost.uapi",
            "net.responder",
            "pci.bus",
            "pci.emul",
            "pci.vfio",
            "vdpa.hw.pci");

    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final Framework framework;
    private final BundleContext context;

    private EmbeddedBusbar(Framework framework) {
        this.framework = framework;
        this.context = framework.getBundleContext();
    }

    static Path bundlesDir() {
        return Path.of(System.getProperty(BUNDLES_PROPERTY, "target/bench-bundles")).toAbsolutePath();
    }

    static Path storageDir() {
        return Path.of(System.getProperty(STORAGE_PROPERTY, "target/bench-felix")).toAbsolutePath();
    }

    /** Starts a fresh framework with every bundle of {@link #BUNDLES} installed and started. */
    static EmbeddedBusbar start() throws BundleException, IOException {
        Path dir = bundlesDir();
        List<Path> jars = new ArrayList<>();
        for (String bsn : BUNDLES) {
            Path jar = dir.resolve(bsn + ".jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: build with `mvn -pl bench -am package`"
                        + " (bench/run does), or point -D" + BUNDLES_PROPERTY + " at the folder of bundle jars");
            }
            jars.add(jar);
        }
        Path storage = storageDir();
        Files.createDirectories(storage.getParent());
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SYSTEM_PACKAGES_EXTRA);
        config.put("felix.log.level", "1");
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi FrameworkFactory on the class path"));
        Framework framework = factory.newFramework(config);
        framework.start();
        EmbeddedBusbar busbar = new EmbeddedBusbar(framework);
        try {
            List<Bundle> installed = new ArrayList<>();
            for (Path jar : jars) {
                installed.add(busbar.context.installBundle(jar.toUri().toString()));
            }
            for (Bundle b : installed) {
                b.start();
            }
            for (Bundle b : installed) {
                if (b.getState() != Bundle.ACTIVE) {
                    throw new IllegalStateException(b.getSymbolicName() + " did not start: " + busbar.bundles());
                }
            }
            if (busbar.context.getBundles().length != installed.size() + 1) {
                throw new IllegalStateException("unexpected bundles: " + busbar.bundles());
            }
        } catch (RuntimeException | BundleException e) {
            busbar.close();
            throw e;
        }
        return busbar;
    }

    /**
     * Creates a simulated vDPA NIC through Configuration Admin, factory PID {@value #FACTORY_PID},
     * exactly as a {@code .cfg} file in deploy/ would; {@code link} null leaves it unplugged.
     *
     * @return the configuration, for {@link #deleteConfiguration}
     */
    Object createSimNet(String name, String mac, int maxQueuePairs, String link) {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("name", name);
        p.put("mac", mac);
        p.put("max_vqp", maxQueuePairs);
        if (link != null) {
            p.put("link", link);
        }
        return withConfigAdmin((admin, adminType) -> {
            Object configuration = adminType.getMethod("createFactoryConfiguration", String.class, String.class)
                    .invoke(admin, FACTORY_PID, "?");
            configuration(adminType).getMethod("update", Dictionary.class).invoke(configuration, p);
            return configuration;
        }, p);
    }

    /** Deletes a configuration {@link #createSimNet} made, as removing its .cfg file would: its device goes. */
    void deleteConfiguration(Object configuration) {
        withConfigAdmin((admin, adminType) -> configuration(adminType).getMethod("delete").invoke(configuration),
                configuration);
    }

    private interface AdminCall {
        Object call(Object admin, Class<?> adminType) throws ReflectiveOperationException;
    }

    private static Class<?> configuration(Class<?> adminType) throws ClassNotFoundException {
        return adminType.getClassLoader().loadClass("org.osgi.service.cm.Configuration");
    }

    private Object withConfigAdmin(AdminCall call, Object what) {
        ServiceReference<?> ref = await("Configuration Admin",
                () -> context.getServiceReference("org.osgi.service.cm.ConfigurationAdmin"), Duration.ofSeconds(10));
        Object admin = context.getService(ref);
        try {
            return call.call(admin, ref.getBundle().loadClass("org.osgi.service.cm.ConfigurationAdmin"));
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Configuration Admin refused " + what, e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Configuration Admin API not as expected", e);
        } finally {
            context.ungetService(ref);
        }
    }

    /** The framework's context, for listeners and lookups. */
    BundleContext context() {
        return context;
    }

    /** The installed bundle with this symbolic name. */
    Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new IllegalStateException("no bundle " + symbolicName + " in " + bundles());
    }

    /**
     * Waits, bounded, for the NetDevice with this MAC to be registered with its link up, and
     * returns it. The reference obtained is released when the framework stops.
     */
    NetDevice awaitNetDevice(String mac, Duration within) {
        return awaitNetDevice(mac, within, true);
    }

    /** As {@link #awaitNetDevice(String, Duration)}, waiting for link up only if {@code linkUp}. */
    NetDevice awaitNetDevice(String mac, Duration within, boolean linkUp) {
        String filter = "(" + NetDeviceConstants.NET_MAC + "=" + mac + ")";
        NetDevice dev = await("NetDevice " + mac, () -> {
            try {
                Collection<ServiceReference<NetDevice>> refs = context.getServiceReferences(NetDevice.class, filter);
                return refs.isEmpty() ? null : context.getService(refs.iterator().next());
            } catch (InvalidSyntaxException e) {
                throw new IllegalArgumentException(filter, e);
            }
        }, within);
        if (linkUp) {
            await("link up on " + dev.name(), () -> dev.link() == LinkState.UP ? dev : null, within);
        }
        return dev;
    }

    private <T> T await(String what, Supplier<T> probe, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        T value;
        while ((value = probe.get()) == null) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("no " + what + " after " + within + "; bundles " + bundles());
            }
            LockSupport.parkNanos(10_000_000);
        }
        return value;
    }

    /** Bundle symbolic names and states, for failure messages. */
    String bundles() {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (Bundle b : context.getBundles()) {
            j.add(b.getSymbolicName() + ":" + switch (b.getState()) {
                case Bundle.ACTIVE -> "ACTIVE";
                case Bundle.RESOLVED -> "RESOLVED";
                case Bundle.INSTALLED -> "INSTALLED";
                case Bundle.STARTING -> "STARTING";
                case Bundle.STOPPING -> "STOPPING";
                default -> String.valueOf(b.getState());
            });
        }
        return j.toString();
    }

    /** Stops the framework (every bundle deactivates: NetDevices, devices, buses) and waits for it, bounded. */
    @Override
    public void close() {
        try {
            framework.stop();
            FrameworkEvent e = framework.waitForStop(STOP_WAIT.toMillis());
            if (e.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                System.err.println("bench: Felix did not stop within " + STOP_WAIT);
            }
        } catch (BundleException e) {
            throw new IllegalStateException("stopping Felix", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Where the jars come from, for the log. */
    @Override
    public String toString() {
        return "Felix " + framework.getVersion() + " with " + BUNDLES.size() + " bundles from " + bundlesDir()
                + File.separator;
    }
}
