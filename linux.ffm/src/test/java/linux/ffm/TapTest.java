package linux.ffm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import linux.ffm.testing.TestNamespace;
import linux.ffm.testing.ThreadCaps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TAP interfaces through the real clone device, each test inside a network namespace of its own
 * (so nothing reaches the host's interfaces). Needs root, /dev/net/tun and iproute2.
 */
class TapTest {

    static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final byte[] OUR_MAC = HexFormat.of().parseHex("020000000001");

    TestNamespace ns;

    @BeforeEach
    void namespace() {
        TestNamespace.requirePeers("ip");
        ns = TestNamespace.create("ffm");
    }

    @AfterEach
    void remove() {
        if (ns != null) {
            ns.close();
        }
    }

    /** Runs {@code body} on a thread of its own (which may change its namespace or capabilities) and returns its result. */
    static <T> T onOwnThread(Callable<T> body) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                f.complete(body.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            return f.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    Tap openInNamespace(String name) throws Exception {
        return onOwnThread(() -> {
            Netns.enter(Netns.path(ns.name));
            return Tap.open(Tap.CLONE_DEVICE, name);
        });
    }

    @Test
    void namesTheKernelWouldRefuseAreRefusedWithTheRule() {
        assertThat(Tap.invalidName("bbtap0")).isNull();
        assertThat(Tap.invalidName("a23456789012345")).isNull();
        assertThat(Tap.invalidName("a234567890123456")).contains("16 bytes, longer than 15 (IFNAMSIZ)");
        assertThat(Tap.invalidName("")).contains("empty");
        assertThat(Tap.invalidName("a/b")).contains("'/'");
        assertThat(Tap.invalidName("a b")).contains("white space");
        assertThat(Tap.invalidName("..")).contains("reserved");
        assertThat(Netns.invalidName("busbar-test-1")).isNull();
        assertThat(Netns.invalidName("../etc")).contains("letters, digits");
        assertThatThrownBy(() -> Tap.open(Tap.CLONE_DEVICE, "a234567890123456"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IFNAMSIZ");
    }

    @Test
    void aTapOpenedByAThreadInANamespaceLivesThereAndNoOtherThreadMoves() throws Exception {
        String before = Netns.current();
        String nsId = "net:[" + java.nio.file.Files.getAttribute(Netns.path(ns.name), "unix:ino") + "]";
        assertThat(before).isNotEqualTo(nsId);
        String[] opener = new String[1];
        Tap tap = onOwnThread(() -> {
            Netns.enter(Netns.path(ns.name));
            opener[0] = Netns.current();
            return Tap.open(Tap.CLONE_DEVICE, "bbffm0");
        });
        try {
            assertThat(tap.name()).isEqualTo("bbffm0");
            assertThat(opener[0]).isEqualTo(nsId);
            assertThat(Netns.current()).isEqualTo(before);
            assertThat(ns.exec("ip", "-o", "link", "show", "bbffm0")).contains("bbffm0");
            assertThat(TestNamespace.status("ip", "-o", "link", "show", "bbffm0")).as("not in the host's namespace").isNotZero();
        } finally {
            tap.close();
        }
        // not persistent: the last descriptor took the interface with it
        assertThat(ns.execStatus("ip", "-o", "link", "show", "bbffm0")).isNotZero();
    }

    @Test
    void aFrameWrittenReachesTheKernelAndItsAnswerIsRead() throws Exception {
        try (Tap tap = openInNamespace("bbffm1"); Arena a = Arena.ofConfined()) {
            MemorySegment request = a.allocate(60);
            arpRequest(request, new byte[] {10, 0, 3, 1}, new byte[] {10, 0, 3, 2});
            assertThat(tap.write(request, 60)).as("a TAP that is down refuses frames").isEqualTo(Errno.EIO);
            ns.exec("ip", "addr", "add", "10.0.3.2/24", "dev", "bbffm1");
            ns.exec("ip", "link", "set", "bbffm1", "up");
            assertThat(tap.write(request, 60)).isZero();

            MemorySegment buf = a.allocate(65549);
            assertThat(tap.read(a.allocate(0))).isIn(-1, 0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                int n = tap.read(buf);
                if (n >= 42 && buf.get(BE16, 12) == 0x0806) {
                    assertThat(buf.asSlice(0, 6).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(OUR_MAC);
                    assertThat(buf.get(BE16, 20)).as("ARP reply").isEqualTo((short) 2);
                    assertThat(buf.asSlice(28, 4).toArray(ValueLayout.JAVA_BYTE)).containsExactly(10, 0, 3, 2);
                    assertThat(buf.asSlice(32, 6).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(OUR_MAC);
                    assertThat(buf.asSlice(38, 4).toArray(ValueLayout.JAVA_BYTE)).containsExactly(10, 0, 3, 1);
                    break;
                }
                assertThat(System.nanoTime() - deadline).as("the kernel's ARP reply within 10 s").isNegative();
                if (n < 0) {
                    Thread.sleep(10);
                }
            }
        }
    }

    /** Who has {@code target}, tell {@code sender} (at {@link #OUR_MAC}), broadcast, padded to 60 bytes. */
    static void arpRequest(MemorySegment f, byte[] sender, byte[] target) {
        f.fill((byte) 0);
        f.asSlice(0, 6).fill((byte) 0xff);
        MemorySegment.copy(OUR_MAC, 0, f, ValueLayout.JAVA_BYTE, 6, 6);
        f.set(BE16, 12, (short) 0x0806);
        f.set(BE16, 14, (short) 1);
        f.set(BE16, 16, (short) 0x0800);
        f.set(ValueLayout.JAVA_BYTE, 18, (byte) 6);
        f.set(ValueLayout.JAVA_BYTE, 19, (byte) 4);
        f.set(BE16, 20, (short) 1);
        MemorySegment.copy(OUR_MAC, 0, f, ValueLayout.JAVA_BYTE, 22, 6);
        MemorySegment.copy(sender, 0, f, ValueLayout.JAVA_BYTE, 28, 4);
        MemorySegment.copy(target, 0, f, ValueLayout.JAVA_BYTE, 38, 4);
    }

    @Test
    void aSecondDescriptorForTheSameInterfaceIsRefusedBusy() throws Exception {
        try (Tap first = openInNamespace("bbffm2")) {
            assertThatThrownBy(() -> openInNamespace("bbffm2")).isInstanceOfSatisfying(LinuxException.class, e -> {
                assertThat(e.call()).isEqualTo("ioctl TUNSETIFF");
                assertThat(e.errnoName()).isEqualTo("EBUSY");
                assertThat(e.getMessage()).contains("bbffm2");
            });
        }
    }

    @Test
    void aThreadWithoutCapNetAdminIsRefusedByTheKernelWithEperm() {
        assertThatThrownBy(() -> onOwnThread(() -> {
            Netns.enter(Netns.path(ns.name));
            ThreadCaps.drop(ThreadCaps.CAP_NET_ADMIN);
            return Tap.open(Tap.CLONE_DEVICE, "bbffm3");
        })).isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errnoName()).isEqualTo("EPERM"));
        assertThat(ns.execStatus("ip", "-o", "link", "show", "bbffm3")).isNotZero();
    }

    @Test
    void aMissingCloneDeviceIsEnoentAndAMissingOrFalseNamespaceIsRefused() throws Exception {
        assertThatThrownBy(() -> Tap.open(Path.of("/dev/net/no-tun-here"), "bbffm4"))
                .isInstanceOfSatisfying(LinuxException.class, e -> {
                    assertThat(e.call()).isEqualTo("open");
                    assertThat(e.errnoName()).isEqualTo("ENOENT");
                });
        assertThatThrownBy(() -> onOwnThread(() -> {
            Netns.enter(Netns.path("busbar-no-such-namespace"));
            return null;
        })).isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errnoName()).isEqualTo("ENOENT"));
        assertThatThrownBy(() -> onOwnThread(() -> {
            Netns.enter(Path.of("/proc/self/status"));
            return null;
        })).isInstanceOfSatisfying(LinuxException.class, e -> {
            assertThat(e.call()).isEqualTo("setns");
            assertThat(e.errnoName()).isEqualTo("EINVAL");
        });
    }
}
