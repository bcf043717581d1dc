package vhost.uapi.internal.proto;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import linux.ffm.Errno;
import linux.ffm.Fd;
import linux.ffm.LinuxException;
import linux.ffm.UnixSocket;

/**
 * One vhost-user connection's byte stream: reads whole messages (header, then a payload of the
 * size the header announced, checked first), sends replies. The socket is blocking with a receive
 * time-out, so a front-end that stops inside a message is a {@link ProtocolError#TRUNCATED}
 * refusal rather than a thread stuck for ever. Not thread-safe: one reader.
 */
public final class Channel implements AutoCloseable {

    /** How long the rest of a message may take once its first byte came, and a send may wait for room. */
    public static final long MESSAGE_TIMEOUT_MS = 2000;
    /** Descriptors one receive takes in: more than any request may carry, so an excess is seen and refused. */
    static final int FD_ROOM = 16;

    private final Fd socket;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment header = arena.allocate(Wire.HEADER_SIZE, 8);
    private final MemorySegment payload = arena.allocate(Wire.MAX_PAYLOAD, 8);

    public Channel(Fd socket) throws LinuxException {
        this.socket = socket;
        UnixSocket.setReceiveTimeout(socket, MESSAGE_TIMEOUT_MS);
        // a peer that stops reading fails a reply after this long rather than holding the thread for ever
        UnixSocket.setSendTimeout(socket, MESSAGE_TIMEOUT_MS);
    }

    public Fd socket() {
        return socket;
    }

    /**
     * The next message, or null if the front-end closed the connection between messages. Call when
     * the socket is readable.
     *
     * @throws ProtocolException a bad or truncated message; its descriptors were closed
     * @throws LinuxException the socket failed (ECONNRESET: the front-end died)
     */
    public Message read() throws ProtocolException, LinuxException {
        List<Fd> fds = new ArrayList<>();
        try {
            int got = 0;
            boolean truncatedFds = false;
            while (got < Wire.HEADER_SIZE) {
                UnixSocket.Received r = receive(header.asSlice(got), got == 0);
                if (r.bytes() == 0) {
                    if (got == 0 && r.fds().isEmpty()) {
                        return null;
                    }
                    r.closeFds();
                    throw new ProtocolException(ProtocolError.TRUNCATED, "connection closed after " + got + " header bytes");
                }
                fds.addAll(r.fds());
                truncatedFds |= r.truncated();
                got += r.bytes();
            }
            Decoder.Header h = Decoder.header(header.get(ValueLayout.JAVA_INT_UNALIGNED, 0),
                    header.get(ValueLayout.JAVA_INT_UNALIGNED, 4), header.get(ValueLayout.JAVA_INT_UNALIGNED, 8));
            if (truncatedFds || fds.size() > h.request().maxFds) {
                throw new ProtocolException(ProtocolError.BAD_FD_COUNT, h.request() + " with "
                        + (truncatedFds ? "more than " + FD_ROOM : fds.size()) + " descriptors (at most " + h.request().maxFds + ")");
            }
            MemorySegment body = payload.asSlice(0, h.size());
            int have = 0;
            while (have < h.size()) {
                UnixSocket.Received r = receive(body.asSlice(have), false);
                if (!r.fds().isEmpty()) {
                    r.closeFds();
                    throw new ProtocolException(ProtocolError.BAD_FD_COUNT, h.request() + ": descriptors inside the payload");
                }
                if (r.bytes() == 0) {
                    throw new ProtocolException(ProtocolError.TRUNCATED, h.request() + ": connection closed after "
                            + have + " of " + h.size() + " payload bytes");
                }
                have += r.bytes();
            }
            return Decoder.decode(h, body, List.copyOf(fds));
        } catch (ProtocolException | LinuxException | RuntimeException e) {
            fds.forEach(Fd::close);
            throw e;
        }
    }

    private UnixSocket.Received receive(MemorySegment into, boolean first) throws ProtocolException, LinuxException {
        try {
            return UnixSocket.receive(socket, into, FD_ROOM);
        } catch (LinuxException e) {
            if (e.errno() == Errno.EAGAIN && !first) {
                throw new ProtocolException(ProtocolError.TRUNCATED, "no more bytes within " + MESSAGE_TIMEOUT_MS + " ms inside a message");
            }
            throw e;
        }
    }

    /** Sends a reply to {@code request} with {@code body} (its payload bytes). */
    public void reply(Request request, MemorySegment body) throws LinuxException {
        send(request.number, Wire.VERSION | Wire.REPLY, body, List.of());
    }

    /** Sends a reply holding one u64. */
    public void replyU64(Request request, long value) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment b = a.allocate(8, 8);
            b.set(ValueLayout.JAVA_LONG, 0, value);
            reply(request, b);
        }
    }

    /** Sends a reply holding a vring state. */
    public void replyVringState(Request request, int index, int num) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment b = a.allocate(8, 8);
            b.set(ValueLayout.JAVA_INT, 0, index);
            b.set(ValueLayout.JAVA_INT, 4, num);
            reply(request, b);
        }
    }

    /** Sends a GET_CONFIG reply: the access header, then the config bytes read. */
    public void replyConfig(Request request, int offset, int flags, byte[] config) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment b = a.allocate(Wire.CONFIG_HEADER_SIZE + config.length, 8);
            b.set(ValueLayout.JAVA_INT, 0, offset);
            b.set(ValueLayout.JAVA_INT, 4, config.length);
            b.set(ValueLayout.JAVA_INT, 8, flags);
            MemorySegment.copy(config, 0, b, ValueLayout.JAVA_BYTE, Wire.CONFIG_HEADER_SIZE, config.length);
            reply(request, b);
        }
    }

    /** Sends a message: header and body in one sendmsg, with descriptors. */
    public void send(int request, int flags, MemorySegment body, List<Fd> fds) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(Wire.HEADER_SIZE + body.byteSize(), 8);
            m.set(ValueLayout.JAVA_INT, 0, request);
            m.set(ValueLayout.JAVA_INT, 4, flags);
            m.set(ValueLayout.JAVA_INT, 8, (int) body.byteSize());
            MemorySegment.copy(body, 0, m, Wire.HEADER_SIZE, body.byteSize());
            long sent = 0;
            boolean first = true;
            while (sent < m.byteSize()) {
                sent += UnixSocket.send(socket, m.asSlice(sent), first ? fds : List.of());
                first = false;
            }
        }
    }

    /** Closes the socket and the buffers. */
    @Override
    public void close() {
        socket.close();
        arena.close();
    }
}
