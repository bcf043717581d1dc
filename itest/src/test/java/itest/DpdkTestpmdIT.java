package itest;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Test;

/**
 * A peer no one here wrote: DPDK's testpmd with a virtio-user port on the socket the runtime serves
 * a simulated NIC on (vhost_vdpa, bound through bus:override). Where dpdk-testpmd is not installed
 * this fails, unless BUSBAR_NO_PEERS=1 says peers are knowingly absent (then it is skipped).
 * testpmd runs without hugepages and without shared config files (--no-huge is not allowed with
 * --in-memory), under a file prefix of its own whose runtime folder (/var/run/dpdk/<prefix> for
 * root) is removed after it; it runs for a bounded time and is ended by its own pid, as is the runtime.
 */
public class DpdkTestpmdIT {

    private static final long RUN_MILLIS = 4000;

    private final String prefix = "busbar" + ProcessHandle.current().pid() + "x" + System.nanoTime() % 100000;
    private Path runDir;
    private Path home;
    private RuntimeProcess runtime;
    private Process testpmd;

    @Before
    public void start() throws IOException {
        String testpmdPath = which("dpdk-testpmd");
        if (testpmdPath == null) {
            Assume.assumeFalse("dpdk-testpmd is not installed and BUSBAR_NO_PEERS=1", "1".equals(System.getenv("BUSBAR_NO_PEERS")));
            fail("dpdk-testpmd is not on the PATH: install DPDK (Debian: dpdk) or set BUSBAR_NO_PEERS=1");
        }
        // a short folder: a socket path holds at most 107 bytes
        runDir = Files.createTempDirectory("busbar-dpdk");
        // no deploy/: the runtime makes one with its default devices, two NICs on a cable
        home = RuntimeProcess.newHome("dpdk-");
        runtime = RuntimeProcess.start(home, "-Dbusbar.runtime.dir=" + runDir);
    }

    @After
    public void stop() throws Exception {
        if (testpmd != null && testpmd.isAlive()) {
            testpmd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (runtime != null) {
            runtime.close();
        }
        // EAL's runtime folder of this prefix: /var/run/dpdk for root, else $XDG_RUNTIME_DIR/dpdk or /tmp/dpdk
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        for (Path base : List.of(Path.of("/var/run/dpdk"), Path.of(xdg == null ? "/tmp" : xdg, "dpdk"), Path.of("/tmp/dpdk"))) {
            RuntimeProcess.deleteTree(base.resolve(prefix));
        }
        RuntimeProcess.deleteTree(runDir);
        RuntimeProcess.deleteTree(home);
    }

    @Test
    public void txonlyFramesCrossTheCableToTheOtherNic() throws Exception {
        Path sock = serve(false);
        Counts c = runTestpmd(sock, false, "txonly");
        assertTrue("testpmd sent frames: " + c, c.tx() > 1000);
        long sent = vstat("vdpa0", 1, "tx_frames");
        long received = vstat("vdpa1", 0, "rx_frames") + vstat("vdpa1", 0, "rx_drop_not_ready");
        // frames still in the TX ring when testpmd stopped were never sent: at most a ring of them
        assertTrue("the device sent what testpmd queued, less at most one ring: testpmd " + c.tx() + ", device " + sent,
                sent <= c.tx() && sent >= c.tx() - 256);
        assertTrue("the other NIC took every frame the device sent: sent " + sent + ", received " + received,
                received == sent);
    }

    @Test
    public void ioForwardingOnALoopbackWithPackedRingsMovesFramesBothWays() throws Exception {
        Path sock = serve(true);
        Counts c = runTestpmd(sock, true, "io", "--tx-first");
        assertTrue("frames came back and went out again: " + c, c.rx() > 1000);
        assertTrue("what testpmd received it sent on (plus its first burst): " + c, c.tx() >= c.rx() && c.tx() - c.rx() <= 64);
        long deviceTx = vstat("vdpa0", 1, "tx_frames");
        long deviceRx = vstat("vdpa0", 0, "rx_frames");
        assertTrue("the device received what it sent on its loopback, less what was in flight: tx " + deviceTx + " rx " + deviceRx,
                deviceRx <= deviceTx && deviceTx - deviceRx <= 512);
        assertTrue("testpmd received what the device put in its ring: device " + deviceRx + " testpmd " + c.rx(),
                deviceRx - c.rx() >= 0 && deviceRx - c.rx() <= 256);
    }

    /** Binds vdpa0 to vhost_vdpa through the shell; returns its socket once it listens. */
    private Path serve(boolean loopback) throws Exception {
        runtime.awaitAnswer("bus:devices vdpa", out -> RuntimeProcess.cells(out, "vdpa0").contains("virtio_vdpa")
                && RuntimeProcess.cells(out, "vdpa1").contains("virtio_vdpa"));
        if (loopback) {
            runtime.send("vdpasim:link vdpa0 loopback");
        }
        runtime.send("bus:override vdpa vdpa0 vhost_vdpa");
        String shown = runtime.awaitAnswer("vhost:show vdpa0", out -> out.contains("server listening"));
        Path sock = runDir.resolve("vhost").resolve("vdpa0.sock");
        assertTrue(shown, shown.contains(sock.toString()) && Files.exists(sock));
        return sock;
    }

    record Counts(long rx, long tx) {}

    private Counts runTestpmd(Path sock, boolean packed, String mode, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(which("dpdk-testpmd"), "--no-huge", "-m", "512", "--no-pci", "--no-shconf", "--no-telemetry",
                "--file-prefix=" + prefix,
                "--vdev", "net_virtio_user0,path=" + sock + ",queues=1" + (packed ? ",packed_vq=1" : ""),
                "--", "--total-num-mbufs=4096", "--forward-mode=" + mode, "--stats-period", "1"));
        cmd.addAll(List.of(extra));
        Path log = runDir.resolve("testpmd.log");
        testpmd = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String shown;
        try {
            shown = runtime.awaitAnswer("vhost:show vdpa0", out -> out.contains("connected frontend pid " + testpmd.pid())
                    && out.lines().filter(l -> l.matches("\\s+[01]\\s+256\\s+yes\\s+yes.*")).count() == 2);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\ntestpmd:\n" + Files.readString(log), e);
        }
        Thread.sleep(RUN_MILLIS);
        testpmd.destroy(); // SIGTERM: testpmd stops forwarding, prints its totals and closes the port
        if (!testpmd.waitFor(20, TimeUnit.SECONDS)) {
            testpmd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("testpmd did not stop on SIGTERM:\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        runtime.awaitAnswer("vhost:show vdpa0", o -> o.contains("server listening") && o.contains("the front-end closed the connection"));
        Matcher m = Pattern.compile("Accumulated forward statistics.*?RX-packets:\\s+(\\d+).*?TX-packets:\\s+(\\d+)", Pattern.DOTALL)
                .matcher(out);
        assertTrue("testpmd's totals in:\n" + out + "\nwhile bound:\n" + shown, m.find());
        return new Counts(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }

    private long vstat(String dev, int qidx, String name) throws Exception {
        String out = runtime.awaitAnswer("vdpa:dev vstats show " + dev + " qidx " + qidx, o -> o.contains(" name " + name + " value "));
        Matcher m = Pattern.compile(" name " + name + " value (\\d+)").matcher(out);
        assertTrue(out, m.find());
        return Long.parseLong(m.group(1));
    }

    private static String which(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
