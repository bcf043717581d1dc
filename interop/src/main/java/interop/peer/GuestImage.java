package interop.peer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel and initramfs of the test guest, as {@code interop/guest/build-guest} made them from
 * Debian's packages (the script caches them; building again is a lookup).
 *
 * @param kernel  the kernel, uncompressed (vmlinux): QEMU boots it through its PVH entry, which
 *                saves the image's own decompression, most of a boot under TCG
 * @param initrd  the initramfs: busybox, the resolved modules, the guest's /init
 * @param release the kernel release, e.g. 6.1.0-57-amd64
 * @param modules the module files in the order the guest loads them
 */
public record GuestImage(Path kernel, Path initrd, String release, List<String> modules) {

    /** The system property naming the build-guest script (the interop module's failsafe sets it). */
    public static final String BUILDER_PROPERTY = "busbar.interop.guest.builder";

    /**
     * Runs the builder (bounded: a first build downloads and unpacks a kernel package) and returns
     * the guest it printed.
     *
     * @param builder      the build-guest script
     * @param extraModules modules beyond the default virtio_pci, virtio_net and qemu_fw_cfg
     */
    public static GuestImage build(Path builder, List<String> extraModules, Duration timeout) {
        List<String> command = new ArrayList<>(List.of(builder.toString()));
        if (!extraModules.isEmpty()) {
            command.add("--modules");
            command.add(String.join(" ", extraModules));
        }
        // build-guest's progress goes to stderr, merged here; the folder is its last line
        try (PeerProcess build = PeerProcess.start("build-guest", command, timeout, List.of())) {
            int exit = build.waitFor(timeout);
            List<String> console = build.console();
            if (exit != 0 || console.isEmpty()) {
                throw build.failure("failed with exit " + exit);
            }
            Path folder = Path.of(console.getLast().strip());
            return read(folder);
        }
    }

    /** The guest the builder named by {@link #BUILDER_PROPERTY} makes with the default modules. */
    public static GuestImage buildDefault() {
        String builder = System.getProperty(BUILDER_PROPERTY);
        if (builder == null || builder.isBlank()) {
            throw new IllegalStateException("system property " + BUILDER_PROPERTY + " names no build-guest script");
        }
        return build(Path.of(builder), List.of(), Duration.ofMinutes(5));
    }

    /** Reads a guest folder build-guest made. */
    public static GuestImage read(Path folder) {
        try {
            Path kernel = folder.resolve("vmlinux");
            Path initrd = folder.resolve("initrd.img");
            if (!Files.isRegularFile(kernel) || !Files.isRegularFile(initrd)) {
                throw new PeerException("build-guest named " + folder + ", which holds no vmlinux and initrd.img");
            }
            return new GuestImage(kernel, initrd, Files.readString(folder.resolve("kernel-release")).strip(),
                    Files.readAllLines(folder.resolve("modules")));
        } catch (java.io.IOException e) {
            throw new PeerException("cannot read the guest in " + folder + ": " + e.getMessage(), e);
        }
    }
}
