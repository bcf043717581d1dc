package vhost.uapi.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import linux.ffm.EventFd;
import linux.ffm.Fd;
import linux.ffm.Files;
import linux.ffm.LinuxException;
import linux.ffm.UnixSocket;
import vhost.uapi.internal.proto.Request;
import vhost.uapi.internal.proto.Wire;
import virtio.spec.VirtioNetHdr;
import virtio.ring.BufferChain;
import virtio.ring.DmaBuffer;
import virtio.ring.DmaPool;
import virtio.ring.DriverQueue;

/**
 * An honest vhost-user front-end for tests, as QEMU or DPDK's virtio-user is one: guest memory in a
 * memfd it maps itself (guest-physical base {@link #GPA}), the driver side of the rings over that
 * memory with the ring core's {@link DriverQueue}, eventfds for kicks and calls, and real messages
 * with SCM_RIGHTS on a real socket. Ring addresses go out as this process's user addresses of the
 * rings (the front-end's virtual addresses), buffer addresses as guest-physical ones.
 */
final class TestFrontend implements AutoCloseable {

    static final long GPA = 0x4000_0000L;
    static final long MEMORY = 8 << 20;
    static final long WAIT_NANOS = 20_000_000_000L;
    static final long ALL_PROTOCOL = Wire.bit(Wire.PROTOCOL_F_MQ) | Wire.bit(Wire.PROTOCOL_F_REPLY_ACK)
            | Wire.bit(Wire.PROTOCOL_F_NET_MTU) | Wire.bit(Wire.PROTOCOL_F_BACKEND_REQ) | Wire.bit(Wire.PROTOCOL_F_CONFIG)
            | Wire.bit(Wire.PROTOCOL_F_RESET_DEVICE) | Wire.bit(Wire.PROTOCOL_F_CONFIGURE_MEM_SLOTS)
            | Wire.bit(Wire.PROTOCOL_F_STATUS);

    final Fd socket;
    final Fd memfd;
    final DmaPool pool;
    final Arena arena = Arena.ofShared();
    private final List<Ring> rings = new ArrayList<>();
    private final BufferChain chain = new BufferChain(4);
    long features;
    long protocol;
    Fd backendEnd;

    /** A ring of this front-end: its queue, kick and call eventfds. */
    static final class Ring {
        final int index;
        final DriverQueue queue;
        final EventFd kick;
        final EventFd call;

        Ring(int index, DriverQueue queue, EventFd kick, EventFd call) {
            this.index = index;
            this.queue = queue;
            this.kick = kick;
            this.call = call;
        }
    }

    /** A reply: its header and payload. */
    record Reply(int request, int flags, MemorySegment payload) {
        long u64() {
            return payload.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
        }
    }

    TestFrontend(Path socketPath) throws IOException {
        Fd s = UnixSocket.socket(false);
        try {
            UnixSocket.connect(s, socketPath);
            UnixSocket.setReceiveTimeout(s, 10_000);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        this.socket = s;
        this.memfd = Files.memfdCreate("guest", 0);
        Files.truncate(memfd, MEMORY);
        this.pool = DmaPool.map(Path.of("/proc/self/fd/" + memfd.number()), MEMORY, GPA);
    }

    /** The front-end's user address of a guest-physical address in its memory. */
    long uva(long gpa) {
        return pool.segment().address() + (gpa - GPA);
    }

    // ================================================================ messages

    void send(Request r, int flags, MemorySegment payload, List<Fd> fds) throws LinuxException {
        sendRaw(r.number, Wire.VERSION | flags, payload, fds);
    }

    void sendRaw(int request, int flags, MemorySegment payload, List<Fd> fds) throws LinuxException {
        MemorySegment m = arena.allocate(Wire.HEADER_SIZE + payload.byteSize(), 8);
        m.set(ValueLayout.JAVA_INT, 0, request);
        m.set(ValueLayout.JAVA_INT, 4, flags);
        m.set(ValueLayout.JAVA_INT, 8, (int) payload.byteSize());
        MemorySegment.copy(payload, 0, m, Wire.HEADER_SIZE, payload.byteSize());
        UnixSocket.send(socket, m, fds);
    }

    Reply reply() throws LinuxException {
        return readMessage(socket);
    }

    static Reply readMessage(Fd from) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(Wire.HEADER_SIZE);
            readFully(from, h);
            int size = h.get(ValueLayout.JAVA_INT, 8);
            MemorySegment p = Arena.ofAuto().allocate(Math.max(1, size)).asSlice(0, size);
            readFully(from, p);
            return new Reply(h.get(ValueLayout.JAVA_INT, 0), h.get(ValueLayout.JAVA_INT, 4), p);
        }
    }

    private static void readFully(Fd from, MemorySegment into) throws LinuxException {
        long got = 0;
        while (got < into.byteSize()) {
            UnixSocket.Received r = UnixSocket.receive(from, into.asSlice(got), 4);
            r.closeFds();
            if (r.bytes() == 0) {
                throw new LinuxException("recvmsg", linux.ffm.Errno.ECONNRESET, "backend closed the connection");
            }
            got += r.bytes();
        }
    }

    MemorySegment u64(long v) {
        MemorySegment s = arena.allocate(8, 8);
        s.set(ValueLayout.JAVA_LONG, 0, v);
        return s;
    }

    MemorySegment state(int index, long num) {
        MemorySegment s = arena.allocate(8, 8);
        s.set(ValueLayout.JAVA_INT, 0, index);
        s.set(ValueLayout.JAVA_INT, 4, (int) num);
        return s;
    }

    static final MemorySegment NONE = MemorySegment.ofArray(new byte[0]);

    long getU64(Request r) throws LinuxException {
        send(r, 0, NONE, List.of());
        return reply().u64();
    }

    /** Sends a request and, when REPLY_ACK is negotiated, waits for its ack; returns it (0 = success). */
    long call(Request r, MemorySegment payload, List<Fd> fds) throws LinuxException {
        boolean ack = (protocol & Wire.bit(Wire.PROTOCOL_F_REPLY_ACK)) != 0;
        send(r, ack ? Wire.NEED_REPLY : 0, payload, fds);
        return ack ? reply().u64() : 0;
    }

    /** GET_FEATURES, SET_FEATURES(offered & want | bit 30), protocol features, owner, the memory table. */
    void negotiate(long want, long wantProtocol) throws LinuxException {
        long offered = getU64(Request.GET_FEATURES);
        features = offered & (want | Wire.bit(Wire.VHOST_USER_F_PROTOCOL_FEATURES));
        if ((offered & Wire.bit(Wire.VHOST_USER_F_PROTOCOL_FEATURES)) != 0) {
            long p = getU64(Request.GET_PROTOCOL_FEATURES);
            send(Request.SET_PROTOCOL_FEATURES, 0, u64(p & wantProtocol), List.of());
            protocol = p & wantProtocol;
        }
        call(Request.SET_OWNER, NONE, List.of());
        check(call(Request.SET_FEATURES, u64(features), List.of()), "SET_FEATURES");
        if ((protocol & Wire.bit(Wire.PROTOCOL_F_STATUS)) != 0) {
            check(call(Request.SET_STATUS, u64(1 | 2 | 8), List.of()), "SET_STATUS FEATURES_OK");
        }
        setMemTable();
    }

    void setMemTable() throws LinuxException {
        MemorySegment t = arena.allocate(8 + Wire.REGION_SIZE, 8);
        t.set(ValueLayout.JAVA_INT, 0, 1);
        t.set(ValueLayout.JAVA_LONG, 8, GPA);
        t.set(ValueLayout.JAVA_LONG, 16, MEMORY);
        t.set(ValueLayout.JAVA_LONG, 24, pool.segment().address());
        t.set(ValueLayout.JAVA_LONG, 32, 0);
        check(call(Request.SET_MEM_TABLE, t, List.of(memfd)), "SET_MEM_TABLE");
    }

    /** Sets up ring {@code index} of {@code size}: num, base, addresses, kick, call; enabled unless {@code enable} is false. */
    Ring ring(int index, int size, boolean enable) throws LinuxException {
        DriverQueue q = DriverQueue.create(pool, size, features);
        EventFd kick = EventFd.create(0, true);
        EventFd callFd = EventFd.create(0, true);
        Ring r = new Ring(index, q, kick, callFd);
        rings.add(r);
        check(call(Request.SET_VRING_NUM, state(index, size), List.of()), "SET_VRING_NUM");
        boolean packed = (features & Wire.bit(virtio.spec.VirtioFeatures.VIRTIO_F_RING_PACKED)) != 0;
        check(call(Request.SET_VRING_BASE, state(index, packed ? 0x8000_8000L : 0), List.of()), "SET_VRING_BASE");
        setAddr(index, q);
        check(call(Request.SET_VRING_CALL, u64(index), List.of(callFd.fd())), "SET_VRING_CALL");
        check(call(Request.SET_VRING_KICK, u64(index), List.of(kick.fd())), "SET_VRING_KICK");
        if (enable) {
            enable(index, true);
        }
        return r;
    }

    void setAddr(int index, DriverQueue q) throws LinuxException {
        MemorySegment a = arena.allocate(Wire.VRING_ADDR_SIZE, 8);
        a.set(ValueLayout.JAVA_INT, 0, index);
        a.set(ValueLayout.JAVA_LONG, 8, uva(q.descAddress()));
        a.set(ValueLayout.JAVA_LONG, 16, uva(q.deviceAddress()));
        a.set(ValueLayout.JAVA_LONG, 24, uva(q.driverAddress()));
        check(call(Request.SET_VRING_ADDR, a, List.of()), "SET_VRING_ADDR");
    }

    void enable(int index, boolean on) throws LinuxException {
        check(call(Request.SET_VRING_ENABLE, state(index, on ? 1 : 0), List.of()), "SET_VRING_ENABLE");
    }

    /** With the STATUS protocol feature: DRIVER_OK. */
    void driverOk() throws LinuxException {
        if ((protocol & Wire.bit(Wire.PROTOCOL_F_STATUS)) != 0) {
            check(call(Request.SET_STATUS, u64(1 | 2 | 4 | 8), List.of()), "SET_STATUS DRIVER_OK");
        }
    }

    /** GET_VRING_BASE: stops the ring and returns the base word. */
    long getVringBase(int index) throws LinuxException {
        send(Request.GET_VRING_BASE, 0, state(index, 0), List.of());
        Reply r = reply();
        return Integer.toUnsignedLong(r.payload().get(ValueLayout.JAVA_INT_UNALIGNED, 4));
    }

    /** Opens the back-end channel (BACKEND_REQ): returns this side of it. */
    Fd backendChannel() throws LinuxException {
        Fd[] pair = UnixSocket.socketPair();
        check(call(Request.SET_BACKEND_REQ_FD, NONE, List.of(pair[1])), "SET_BACKEND_REQ_FD");
        pair[1].close();
        backendEnd = pair[0];
        return pair[0];
    }

    private static void check(long ack, String what) {
        if (ack != 0) {
            throw new AssertionError(what + " failed: " + ack);
        }
    }

    // ================================================================ traffic, as a virtio-net driver

    /** Sends a frame on a TX ring: the virtio_net_hdr and the frame in two readable buffers; kicks if the device wants it. */
    boolean send(Ring r, byte[] frame) throws LinuxException {
        DmaBuffer hdr = pool.allocate(VirtioNetHdr.VIRTIO_NET_HDR_SIZE, 8);
        DmaBuffer body = pool.allocate(frame.length, 8);
        MemorySegment.copy(MemorySegment.ofArray(frame), 0, body.segment(), 0, frame.length);
        if (!r.queue.add(chain.clear().readable(hdr).readable(body), new DmaBuffer[] {hdr, body})) {
            pool.free(hdr);
            pool.free(body);
            return false;
        }
        if (r.queue.kickPrepare()) {
            r.kick.write(1);
        }
        return true;
    }

    /** Takes back used TX buffers; returns how many came back. */
    int reapTx(Ring r) {
        int n = 0;
        Object t;
        while ((t = r.queue.pollUsed()) != null) {
            for (DmaBuffer b : (DmaBuffer[]) t) {
                pool.free(b);
            }
            n++;
        }
        return n;
    }

    /** Posts receive buffers of {@code bytes} on an RX ring and kicks. */
    void postRx(Ring r, int count, int bytes) throws LinuxException {
        for (int i = 0; i < count; i++) {
            DmaBuffer b = pool.allocate(bytes, 8);
            if (!r.queue.add(chain.clear().writable(b), b)) {
                pool.free(b);
                break;
            }
        }
        if (r.queue.kickPrepare()) {
            r.kick.write(1);
        }
    }

    /** Received frames (without the header), reposting each buffer. */
    List<byte[]> receive(Ring r) throws LinuxException {
        List<byte[]> out = new ArrayList<>();
        Object t;
        while ((t = r.queue.pollUsed()) != null) {
            DmaBuffer b = (DmaBuffer) t;
            int len = r.queue.lastUsedLength();
            out.add(b.segment().asSlice(VirtioNetHdr.VIRTIO_NET_HDR_SIZE, len - VirtioNetHdr.VIRTIO_NET_HDR_SIZE).toArray(ValueLayout.JAVA_BYTE));
            r.queue.add(chain.clear().writable(b), b);
        }
        if (!out.isEmpty() && r.queue.kickPrepare()) {
            r.kick.write(1);
        }
        return out;
    }

    static void await(BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /** Whether the backend still holds the connection (no hang-up seen on the socket). */
    boolean connected() throws LinuxException {
        try (linux.ffm.Epoll ep = linux.ffm.Epoll.create()) {
            ep.add(socket, linux.ffm.Epoll.EPOLLIN | linux.ffm.Epoll.EPOLLRDHUP, 0);
            linux.ffm.Epoll.Events ev = new linux.ffm.Epoll.Events(1);
            return ep.await(ev, 0) == 0
                    || (ev.events(0) & (linux.ffm.Epoll.EPOLLRDHUP | linux.ffm.Epoll.EPOLLHUP | linux.ffm.Epoll.EPOLLERR)) == 0;
        }
    }

    /** Everything closed at once, with no goodbye: what the backend sees of a front-end that was killed. */
    @Override
    public void close() {
        if (!arena.scope().isAlive()) {
            return;
        }
        socket.close();
        if (backendEnd != null) {
            backendEnd.close();
        }
        for (Ring r : rings) {
            r.kick.close();
            r.call.close();
        }
        pool.close();
        memfd.close();
        arena.close();
    }
}
