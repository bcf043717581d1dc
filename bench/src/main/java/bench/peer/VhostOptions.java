package bench.peer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * What {@code bench/run --vhost} runs: every combination of direction, ring layout and frame size,
 * {@code repeat} times, each run a warm-up and a measured window.
 *
 * @param seconds the measured window of one run
 * @param warmup seconds of traffic before the window opens
 * @param repeat how many times each combination runs (interleaved: one of each, then again)
 * @param sizes frame sizes in bytes (Ethernet header and payload, no FCS)
 * @param rings the ring layouts
 * @param directions the directions, seen from the frontend: tx (it sends) and rx (it receives)
 * @param out where the per-second series and the results are written
 */
public record VhostOptions(double seconds, double warmup, int repeat, List<Integer> sizes, List<Ring> rings,
        List<Direction> directions, Path out) {

    /** Smallest frame: testpmd's txonly builds Ethernet, IPv4 and UDP headers (42 bytes) and pads to the Ethernet minimum. */
    public static final int MIN_SIZE = 60;
    /** Largest frame: one of testpmd's default mbufs (2048 bytes of data room), so no run needs chained mbufs. */
    public static final int MAX_SIZE = 2048;
    public static final String USAGE = "usage: bench/run --vhost [--seconds S] [--warmup W] [--repeat R] [--sizes 64,1518]"
            + " [--rings split,packed] [--directions tx,rx] [--out FILE]";

    /** The ring layout virtio-user offers ({@code packed_vq}). */
    public enum Ring {
        SPLIT, PACKED;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Seen from DPDK's virtio-user: {@code tx}, it sends (txonly) into the backend, which counts and
     * drops; {@code rx}, the backend generates and it receives (rxonly).
     */
    public enum Direction {
        TX, RX;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public VhostOptions {
        sizes = List.copyOf(sizes);
        rings = List.copyOf(rings);
        directions = List.copyOf(directions);
    }

    /** The defaults: 5 s windows after 2 s of warm-up, 3 repeats, 64 and 1518 bytes, both rings, both directions. */
    public static VhostOptions defaults() {
        return new VhostOptions(5, 2, 3, List.of(64, 1518), List.of(Ring.SPLIT, Ring.PACKED), List.of(Direction.TX, Direction.RX),
                Path.of("target/bench-vhost.txt"));
    }

    /**
     * Parses the command line.
     *
     * @throws IllegalArgumentException naming the option and what is wrong with its value
     */
    public static VhostOptions parse(String... args) {
        VhostOptions o = defaults();
        double seconds = o.seconds;
        double warmup = o.warmup;
        int repeat = o.repeat;
        List<Integer> sizes = o.sizes;
        List<Ring> rings = o.rings;
        List<Direction> directions = o.directions;
        Path out = o.out;
        for (int i = 0; i < args.length; i++) {
            String opt = args[i];
            if (!List.of("--seconds", "--warmup", "--repeat", "--sizes", "--rings", "--directions", "--out").contains(opt)) {
                throw new IllegalArgumentException("unknown option '" + opt + "'; " + USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(opt + " needs a value; " + USAGE);
            }
            String v = args[++i];
            switch (opt) {
                case "--seconds" -> seconds = decimal(opt, v, 0.5, 3600);
                case "--warmup" -> warmup = decimal(opt, v, 0, 600);
                case "--repeat" -> repeat = integer(opt, v, 1, 100);
                case "--sizes" -> sizes = list(opt, v, s -> integer(opt, s, MIN_SIZE, MAX_SIZE));
                case "--rings" -> rings = list(opt, v, s -> word(opt, s, Ring.class));
                case "--directions" -> directions = list(opt, v, s -> word(opt, s, Direction.class));
                default -> out = Path.of(v);
            }
        }
        return new VhostOptions(seconds, warmup, repeat, sizes, rings, directions, out);
    }

    /** Runs in all: combinations times repeats, each on both sides. */
    public int runs() {
        return 2 * repeat * sizes.size() * rings.size() * directions.size();
    }

    private static double decimal(String opt, String v, double min, double max) {
        double d;
        try {
            d = v.matches("[0-9]+(\\.[0-9]+)?") ? Double.parseDouble(v) : Double.NaN;
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!(d >= min && d <= max)) {
            throw new IllegalArgumentException(opt + ": '" + v + "' is not a number in " + fmt(min) + ".." + fmt(max));
        }
        return d;
    }

    private static int integer(String opt, String v, int min, int max) {
        long n = v.matches("[0-9]{1,9}") ? Long.parseLong(v) : -1;
        if (n < min || n > max) {
            throw new IllegalArgumentException(opt + ": '" + v + "' is not a whole number in " + min + ".." + max);
        }
        return (int) n;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static <E extends Enum<E>> E word(String opt, String v, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v)) {
                return e;
            }
        }
        List<String> words = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            words.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(opt + ": '" + v + "' is not one of " + String.join(", ", words));
    }

    private static <T> List<T> list(String opt, String v, java.util.function.Function<String, T> each) {
        LinkedHashSet<T> items = new LinkedHashSet<>();
        for (String s : v.split(",", -1)) {
            if (!items.add(each.apply(s.strip()))) {
                throw new IllegalArgumentException(opt + ": '" + s.strip() + "' is given twice");
            }
        }
        return List.copyOf(items);
    }
}
