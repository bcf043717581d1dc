package vhost.uapi.internal.proto;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import linux.ffm.Fd;
import linux.ffm.Files;
import linux.ffm.LinuxException;
import linux.ffm.UnixSocket;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever bytes and descriptors a front-end sends, the parser answers with a message that fits
 * its request or a {@link ProtocolException}, never another exception, never a hang, and every
 * descriptor that came is either in the message or closed.
 */
class HostileBytesPropertyTest {

    private static Fd someFd;

    @BeforeContainer
    static void open() throws LinuxException {
        someFd = Files.memfdCreate("hostile", 0);
    }

    @AfterContainer
    static void close() {
        someFd.close();
    }

    @Provide
    Arbitrary<Integer> requests() {
        return Arbitraries.oneOf(Arbitraries.of(Request.values()).map(r -> r.number), Arbitraries.integers());
    }

    @Provide
    Arbitrary<Integer> flags() {
        return Arbitraries.oneOf(Arbitraries.of(1, 1 | Wire.NEED_REPLY, 1 | Wire.REPLY, 0, 2, 3), Arbitraries.integers());
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.oneOf(Arbitraries.of(0, 8, 40, 264, 268, 12), Arbitraries.integers().between(0, 300), Arbitraries.integers());
    }

    @Property(tries = 3000)
    void decodedMessagesFitTheirRequestOrAreRefused(@ForAll("requests") int request, @ForAll("flags") int flags,
            @ForAll("sizes") int size, @ForAll @Size(max = 300) byte[] bytes, @ForAll @IntRange(min = 0, max = 10) int fdCount) {
        Decoder.Header h;
        try {
            h = Decoder.header(request, flags, size);
        } catch (ProtocolException e) {
            assertThat(e.reason()).isNotNull();
            return;
        }
        assertThat(h.size()).isBetween(0, Wire.MAX_PAYLOAD);
        byte[] payload = java.util.Arrays.copyOf(bytes, h.size());
        List<Fd> fds = Collections.nCopies(fdCount, someFd);
        try {
            Message m = Decoder.decode(h, MemorySegment.ofArray(payload), fds);
            assertThat(m.fds().size()).isLessThanOrEqualTo(Math.max(m.request().maxFds, 0));
            if (m.body() instanceof Message.MemTable t) {
                assertThat(t.regions()).hasSizeLessThanOrEqualTo(Wire.MAX_TABLE_REGIONS).hasSize(fdCount);
                t.regions().forEach(r -> assertThat(r.size()).isNotZero());
            }
            if (m.body() instanceof Message.Config c) {
                assertThat(c.data()).hasSize(c.size());
            }
        } catch (ProtocolException e) {
            assertThat(e.reason()).isNotNull();
        }
    }

    /** A stream of hostile bytes (some of them well-formed headers) with descriptors, then the end of the connection. */
    @Property(tries = 150)
    void aStreamOfHostileBytesEndsInMessagesRefusalsOrTheEnd(@ForAll("streams") List<byte[]> chunks,
            @ForAll @IntRange(min = 0, max = 20) int fdCount) throws Exception {
        long before = openFds();
        Fd[] pair = UnixSocket.socketPair();
        List<Fd> sent = new ArrayList<>();
        try (Fd writer = pair[0]; Arena a = Arena.ofConfined(); Channel ch = new Channel(pair[1])) {
            for (int i = 0; i < fdCount; i++) {
                sent.add(Files.memfdCreate("f" + i, 0));
            }
            boolean first = true;
            for (byte[] c : chunks) {
                if (c.length == 0) {
                    continue;
                }
                MemorySegment seg = a.allocate(c.length);
                MemorySegment.copy(c, 0, seg, ValueLayout.JAVA_BYTE, 0, c.length);
                UnixSocket.send(writer, seg, first ? sent : List.of());
                first = false;
            }
            sent.forEach(Fd::close);
            sent.clear();
            UnixSocket.shutdown(writer);
            for (int i = 0; i < 100; i++) {
                Message m;
                try {
                    m = ch.read();
                } catch (ProtocolException e) {
                    break;
                }
                if (m == null) {
                    break;
                }
                m.closeFds();
            }
        } finally {
            sent.forEach(Fd::close);
        }
        assertThat(openFds()).as("every descriptor that came was closed").isEqualTo(before);
    }

    @Provide
    Arbitrary<List<byte[]>> streams() {
        Arbitrary<byte[]> header = Arbitraries.of(Request.values()).flatMap(r -> Arbitraries.integers().between(0, 300)
                .map(size -> {
                    byte[] h = new byte[12];
                    MemorySegment s = MemorySegment.ofArray(h);
                    s.set(ValueLayout.JAVA_INT_UNALIGNED, 0, r.number);
                    s.set(ValueLayout.JAVA_INT_UNALIGNED, 4, Wire.VERSION);
                    s.set(ValueLayout.JAVA_INT_UNALIGNED, 8, size);
                    return h;
                }));
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        return Arbitraries.oneOf(header, noise).list().ofMaxSize(6);
    }

    static long openFds() throws Exception {
        try (var s = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
