package virtio.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every number of the spec is defined once, here: no constant of this bundle has a namesake in
 * another of its classes, and no source file of the reactor (main and test code of every module)
 * declares a numeric field under the name of one of them. A second definition fails the build,
 * naming its file and line.
 */
class SingleDefinitionTest {

    /** A numeric field declaration; group 1 is everything between the type and the semicolon. */
    private static final Pattern DECLARATION =
            Pattern.compile("\\bstatic\\s+final\\s+(?:int|long|short|byte|char)\\s+([^;]+);");
    /** A declared name inside a declaration: first, or after a comma, and followed by '='. */
    private static final Pattern DECLARED = Pattern.compile("(?:^|,)\\s*([A-Za-z_]\\w*)\\s*=");

    /** Constant name to the classes of this bundle that define it. */
    private static final Map<String, List<String>> CONSTANTS = new TreeMap<>();
    private static Path reactor;

    @BeforeAll
    static void readConstants() throws Exception {
        for (Class<?> type : specClasses()) {
            for (Field f : type.getDeclaredFields()) {
                int m = f.getModifiers();
                boolean constant = Modifier.isPublic(m) && Modifier.isStatic(m) && Modifier.isFinal(m);
                if (constant || f.isEnumConstant()) {
                    CONSTANTS.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(type.getSimpleName());
                }
            }
        }
        reactor = reactorRoot();
    }

    @Test
    void noTwoClassesOfTheBundleDefineTheSameName() {
        Map<String, List<String>> twice = new TreeMap<>();
        CONSTANTS.forEach((name, owners) -> {
            if (owners.size() > 1) {
                twice.put(name, owners);
            }
        });
        assertThat(twice).as("constants defined in more than one virtio.spec class").isEmpty();
    }

    @Test
    void noSourceOutsideTheBundleDeclaresASpecConstantAgain() {
        List<String> copies = new ArrayList<>();
        for (Path file : sources(reactor)) {
            if (file.startsWith(reactor.resolve("virtio.spec"))) {
                continue;
            }
            for (Declaration d : declarations(file)) {
                if (CONSTANTS.containsKey(d.name())) {
                    copies.add(reactor.relativize(file) + ":" + d.line() + ": " + d.name()
                            + " is virtio.spec's (" + String.join(", ", CONSTANTS.get(d.name())) + ")");
                }
            }
        }
        assertThat(copies).as("second definitions of spec constants; import them from virtio.spec").isEmpty();
    }

    /**
     * The scan above proves nothing if it reads nothing: it must see the whole reactor, and the
     * declarations it looks for must be found where they are, in this bundle's own sources.
     */
    @Test
    void theScanSeesTheReactorAndFindsEveryDeclarationOfThisBundle() {
        List<Path> all = sources(reactor);
        Set<String> modules = new TreeSet<>();
        all.forEach(p -> modules.add(reactor.relativize(p).getName(0).toString()));
        assertThat(modules).contains("virtio.spec", "virtio.ring", "virtio.bus", "vdpa.bus", "vdpa.sim", "virtio.net",
                "virtio.net.api", "virtio.vdpa", "bench", "itest");
        Set<String> declaredHere = new TreeSet<>();
        all.stream().filter(p -> p.startsWith(reactor.resolve("virtio.spec/src/main/java")))
                .forEach(p -> declarations(p).forEach(d -> declaredHere.add(d.name())));
        Set<String> fields = new TreeSet<>(CONSTANTS.keySet());
        fields.removeAll(enumConstants());
        assertThat(declaredHere).containsAll(fields);
        assertThat(fields).contains("VIRTIO_F_RING_PACKED", "VIRTQ_DESC_F_NEXT", "VIRTIO_NET_F_MRG_RXBUF",
                "VIRTIO_CONFIG_S_DRIVER_OK");
    }

    @Test
    void aCopyIsFoundWithItsLine(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path copy = dir.resolve("Copy.java");
        Files.writeString(copy, "class Copy {\n    // a copy\n    private static final long A = 1,\n"
                + "            VIRTIO_F_EVENT_IDX = 29;\n    static final int FEATURES_OK = 8;\n}\n");
        assertThat(declarations(copy)).extracting(Declaration::name).contains("VIRTIO_F_EVENT_IDX", "FEATURES_OK");
        assertThat(declarations(copy)).filteredOn(d -> d.name().equals("FEATURES_OK"))
                .extracting(Declaration::line).containsExactly(5);
    }

    record Declaration(String name, int line) {}

    static List<Declaration> declarations(Path file) {
        String src;
        try {
            src = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Declaration> out = new ArrayList<>();
        Matcher m = DECLARATION.matcher(src);
        while (m.find()) {
            Matcher n = DECLARED.matcher(m.group(1));
            while (n.find()) {
                int at = m.start(1) + n.start(1);
                out.add(new Declaration(n.group(1), 1 + (int) src.substring(0, at).chars().filter(c -> c == '\n').count()));
            }
        }
        return out;
    }

    /** Every .java file under a module's src/main/java or src/test/java. */
    static List<Path> sources(Path root) {
        try (Stream<Path> modules = Files.list(root)) {
            List<Path> files = new ArrayList<>();
            for (Path module : modules.filter(Files::isDirectory).sorted().toList()) {
                for (String tree : List.of("src/main/java", "src/test/java")) {
                    Path dir = module.resolve(tree);
                    if (Files.isDirectory(dir)) {
                        try (Stream<Path> walk = Files.walk(dir)) {
                            walk.filter(p -> p.toString().endsWith(".java")).sorted().forEach(files::add);
                        }
                    }
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reactor's root: up from the module, the first folder whose pom lists modules. */
    static Path reactorRoot() throws IOException {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path pom = p.resolve("pom.xml");
            if (Files.isRegularFile(pom) && Files.readString(pom).contains("<modules>")) {
                return p;
            }
        }
        throw new IllegalStateException("no reactor pom above " + System.getProperty("user.dir"));
    }

    /** The classes of this bundle's package, from the folder they were compiled to. */
    static List<Class<?>> specClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(VirtioFeatures.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path pkg = classes.resolve("virtio/spec");
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> list = Files.list(pkg)) {
            for (Path p : list.sorted().toList()) {
                String f = p.getFileName().toString();
                if (f.endsWith(".class") && !f.contains("$") && !f.equals("package-info.class")) {
                    types.add(Class.forName("virtio.spec." + f.substring(0, f.length() - ".class".length())));
                }
            }
        }
        assertThat(types).as("virtio.spec classes in " + pkg).hasSizeGreaterThan(5);
        return types;
    }

    private static Set<String> enumConstants() {
        Set<String> names = new TreeSet<>();
        for (DeviceStatus s : DeviceStatus.values()) {
            names.add(s.name());
        }
        return names;
    }
}
