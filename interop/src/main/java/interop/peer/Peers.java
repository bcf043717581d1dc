package interop.peer;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The real peers the interop tests run, and the Debian packages they come from. A test that needs
 * one calls {@link #require}: a missing peer is a failure that names the packages to install, never
 * a skipped test (.ci/run installs them).
 */
public enum Peers {
    QEMU("qemu-system-x86"),
    /** dpdk-testpmd with the PMDs the tests load: virtio-user, vhost, and the ring mempool. */
    TESTPMD("dpdk-dev", "librte-net-virtio23", "librte-net-vhost23", "librte-mempool-ring23"),
    /** What interop/guest/build-guest needs beside apt and dpkg: a static busybox, a C compiler, xz. */
    GUEST_BUILD("busybox-static", "gcc", "libc6-dev", "xz-utils"),
    IPROUTE("iproute2");

    private final List<String> packages;

    Peers(String... packages) {
        this.packages = List.of(packages);
    }

    /** Fails, naming every missing peer and the apt-get line that installs them all. */
    public static void require(Peers... peers) {
        List<String> missing = new ArrayList<>();
        Set<String> install = new LinkedHashSet<>();
        for (Peers peer : peers) {
            List<String> absent = peer.absent();
            if (!absent.isEmpty()) {
                missing.addAll(absent);
                install.addAll(peer.packages);
            }
        }
        if (!missing.isEmpty()) {
            throw new PeerException("peers missing: " + String.join(", ", missing)
                    + "; install them with: apt-get install -y --no-install-recommends " + String.join(" ", install)
                    + " (.ci/run does)");
        }
    }

    /** What of this peer is not on this machine. */
    List<String> absent() {
        List<String> absent = new ArrayList<>();
        switch (this) {
            case QEMU -> executable(Qemu.EXECUTABLE, absent);
            case TESTPMD -> {
                executable(Testpmd.EXECUTABLE, absent);
                for (String pmd : List.of("librte_net_virtio.so", "librte_net_vhost.so", "librte_mempool_ring.so")) {
                    if (!dpdkDriver(pmd)) {
                        absent.add("DPDK driver " + pmd);
                    }
                }
            }
            case GUEST_BUILD -> {
                executable("busybox", absent);
                executable("gcc", absent);
                executable("xz", absent);
                executable("apt-get", absent);
                executable("dpkg", absent);
            }
            case IPROUTE -> executable("ip", absent);
        }
        return absent;
    }

    private static void executable(String name, List<String> absent) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return;
            }
        }
        for (String dir : List.of("/usr/sbin", "/sbin")) { // ip lives here, not always on a user's PATH
            if (Files.isExecutable(Path.of(dir, name))) {
                return;
            }
        }
        absent.add(name);
    }

    /** Debian puts DPDK's drivers in /usr/lib/<triplet>/dpdk/pmds-<abi>/, where EAL loads them from. */
    private static boolean dpdkDriver(String file) {
        try (DirectoryStream<Path> libs = Files.newDirectoryStream(Path.of("/usr/lib"), "*-linux-gnu")) {
            for (Path lib : libs) {
                Path dpdk = lib.resolve("dpdk");
                if (!Files.isDirectory(dpdk)) {
                    continue;
                }
                try (DirectoryStream<Path> pmds = Files.newDirectoryStream(dpdk, "pmds-*")) {
                    for (Path dir : pmds) {
                        // the versioned file is the driver's package's; the bare .so link is libdpdk-dev's
                        try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, file + "*")) {
                            if (found.iterator().hasNext()) {
                                return true;
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
