package itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.ops4j.pax.exam.Option;

/**
 * How the integration tests boot Felix: Declarative Services, Configuration Admin, Event Admin,
 * the Gogo runtime and commands (no shell: tests call the CommandProcessor), Gson and shell.format
 * (what every busbar command returns, and its Gogo converter), and the busbar bundles a test names.
 *
 * <p>Nothing comes from the network. Third-party bundles are copied into {@code target/itest-bundles}
 * by the build (maven-dependency-plugin) and installed by {@code file:} URL; busbar's own bundles are
 * installed from their modules' {@code target/*.jar}, whose paths failsafe passes as system properties
 * {@code busbar.bundle.<bsn>}. Pax Exam's own bundles come from the local Maven repository, offline.
 *
 * <p>To give the tests another reactor bundle: add a {@code busbar.bundle.<bsn>} system property to
 * the failsafe configuration in itest/pom.xml (and the module as a dependency, for build order), then
 * name it in {@link #felix(String...)}.
 */
public final class BusbarOptions {
    private BusbarOptions() {}

    /** driver.core's bundle. */
    public static final String DRIVER_CORE = "driver.core";
    /** The itest fixture bundle: the "test" bus and the test bundles' activators. */
    public static final String ITEST = "itest";

    /** The third-party bundles every test framework gets, in install order. */
    private static final List<String> PLATFORM = List.of(
            "org.osgi.util.function",
            "org.osgi.util.promise",
            "org.osgi.service.component",
            "org.apache.felix.scr",
            "org.apache.felix.configadmin",
            "org.apache.felix.eventadmin",
            "org.apache.felix.gogo.runtime",
            "org.apache.felix.gogo.command",
            "gson");

    /** The busbar bundle every test framework gets: what shell commands return and how it prints. */
    private static final String SHELL_FORMAT = "shell.format";

    /**
     * The platform plus the named busbar bundles (symbolic names with a {@code busbar.bundle.<bsn>}
     * system property), all started, and JUnit for the probe.
     */
    public static Option felix(String... busbarBundles) {
        List<Option> options = new ArrayList<>();
        String dir = required("busbar.itest.bundles");
        for (String bsn : PLATFORM) {
            options.add(bundle(fileUrl(new File(dir, bsn + ".jar"))).startLevel(1).start());
        }
        options.add(bundle(fileUrl(new File(required("busbar.bundle." + SHELL_FORMAT)))).startLevel(1).start());
        for (String bsn : busbarBundles) {
            options.add(bundle(fileUrl(new File(required("busbar.bundle." + bsn)))).startLevel(1).start());
        }
        options.add(junitBundles());
        options.add(cleanCaches());
        // Waiting for the probe's services; every test bounds its own waits (see Await).
        options.add(systemTimeout(30_000));
        options.add(frameworkProperty("felix.log.level").value("1"));
        return composite(options.toArray(Option[]::new));
    }

    /** The path of a busbar bundle as failsafe passes it. */
    static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set: run the tests with mvn verify");
        }
        return value;
    }

    private static String fileUrl(File file) {
        if (!file.isFile()) {
            throw new IllegalStateException(file + " is missing: build it first (mvn verify builds everything)");
        }
        return file.toURI().toString();
    }
}
