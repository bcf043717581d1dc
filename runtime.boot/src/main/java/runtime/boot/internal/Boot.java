package runtime.boot.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Starts before File Install (a lower start level in the run descriptor): gives the console its
 * one-line log format, then creates the folder File Install watches ({@code felix.fileinstall.dir})
 * with the default device configurations shipped in this bundle's {@code defaults/}, if the
 * folder does not exist. A plain activator, not a component: this must be done when the bundle
 * starts, and it needs no service.
 */
public final class Boot implements BundleActivator {

    /** The framework property File Install reads its folder from. */
    static final String FILEINSTALL_DIR = "felix.fileinstall.dir";
    private static final System.Logger LOG = System.getLogger("runtime.boot");

    private final ConsoleLog console = new ConsoleLog();

    @Override
    public void start(BundleContext context) {
        console.install();
        String dir = context.getProperty(FILEINSTALL_DIR);
        if (dir == null) {
            return; // no hot-deploy folder in this framework
        }
        Path deploy = Path.of(dir).toAbsolutePath();
        try {
            Map<String, byte[]> defaults = defaults(context.getBundle());
            if (DeployFolder.create(deploy, defaults)) {
                LOG.log(System.Logger.Level.INFO, "created {0} with the default devices {1}", deploy,
                        String.join(", ", defaults.keySet()));
            }
        } catch (IOException | RuntimeException e) {
            // the runtime runs on without its defaults; File Install says the folder is missing
            LOG.log(System.Logger.Level.WARNING, "could not create {0} with the default devices: {1}", deploy, e.toString());
        }
    }

    @Override
    public void stop(BundleContext context) {
        console.uninstall();
    }

    /** The default configurations, by file name. */
    static Map<String, byte[]> defaults(Bundle bundle) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        Enumeration<URL> entries = bundle.findEntries("defaults", "*.cfg", false);
        if (entries == null) {
            return files;
        }
        for (URL u : Collections.list(entries)) {
            String path = u.getPath();
            try (InputStream in = u.openStream()) {
                files.put(path.substring(path.lastIndexOf('/') + 1), in.readAllBytes());
            }
        }
        return files;
    }
}
