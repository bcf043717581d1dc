package virtio.ring.fuzz;

/** The fuzz targets' invariants fail with an {@link AssertionError}: Jazzer reports it as a finding. */
final class Check {

    private Check() {}

    static void that(boolean condition, String what, Object... args) {
        if (!condition) {
            throw new AssertionError(String.format(what, args));
        }
    }
}
