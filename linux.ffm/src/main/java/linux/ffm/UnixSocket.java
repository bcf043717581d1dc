package linux.ffm;

import static linux.ffm.internal.Native.INT;
import static linux.ffm.internal.Native.LONG;
import static linux.ffm.internal.Native.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import linux.ffm.internal.Native;

/**
 * AF_UNIX SOCK_STREAM sockets (unix(7)): socket, bind, listen, accept4, connect, socketpair,
 * shutdown, sendmsg and recvmsg with SCM_RIGHTS descriptor passing, and SO_PEERCRED. Every
 * descriptor made here is close-on-exec.
 */
public final class UnixSocket {
    private UnixSocket() {}

    public static final int AF_UNIX = 1;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_NONBLOCK = 04000;
    public static final int SOCK_CLOEXEC = 02000000;
    public static final int SHUT_RDWR = 2;
    /** The longest path a sockaddr_un holds (108 bytes with the terminating NUL). */
    public static final int PATH_MAX = 107;
    /** The most descriptors the kernel passes in one message (SCM_MAX_FD). */
    public static final int SCM_MAX_FD = 253;

    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int SO_PEERCRED = 17;
    private static final int MSG_CTRUNC = 0x8;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;

    private static final long SOCKADDR_UN_SIZE = 110;
    // struct msghdr (LP64): name 0, namelen 8, iov 16, iovlen 24, control 32, controllen 40, flags 48
    private static final long MSGHDR_SIZE = 56;
    private static final long CMSG_HDR = 16;

    private static final MethodHandle SOCKET = Native.errnoCall("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle SOCKETPAIR = Native.errnoCall("socketpair", FunctionDescriptor.of(INT, INT, INT, INT, PTR));
    private static final MethodHandle BIND = Native.errnoCall("bind", FunctionDescriptor.of(INT, INT, PTR, INT));
    private static final MethodHandle LISTEN = Native.errnoCall("listen", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle ACCEPT4 = Native.errnoCall("accept4", FunctionDescriptor.of(INT, INT, PTR, PTR, INT));
    private static final MethodHandle CONNECT = Native.errnoCall("connect", FunctionDescriptor.of(INT, INT, PTR, INT));
    private static final MethodHandle SHUTDOWN = Native.errnoCall("shutdown", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle SENDMSG = Native.errnoCall("sendmsg", FunctionDescriptor.of(LONG, INT, PTR, INT));
    private static final MethodHandle RECVMSG = Native.errnoCall("recvmsg", FunctionDescriptor.of(LONG, INT, PTR, INT));
    private static final MethodHandle GETSOCKOPT = Native.errnoCall("getsockopt", FunctionDescriptor.of(INT, INT, INT, INT, PTR, PTR));
    private static final MethodHandle SETSOCKOPT = Native.errnoCall("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, PTR, INT));
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_SNDTIMEO = 21;

    /** The peer process of a connected socket, as SO_PEERCRED reports it at connect time. */
    public record PeerCredentials(int pid, int uid, int gid) {}

    /**
     * What one recvmsg brought: {@code bytes} of data (0: the peer closed) and the descriptors
     * passed with them, now owned by the caller. {@code truncated}: more descriptors came than
     * the control buffer held; the kernel closed those, they never reached this process.
     */
    public record Received(int bytes, List<Fd> fds, boolean truncated) {
        /** Closes every received descriptor. */
        public void closeFds() {
            fds.forEach(Fd::close);
        }
    }

    /** socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC [| SOCK_NONBLOCK]). */
    public static Fd socket(boolean nonBlocking) throws LinuxException {
        try {
            int r = (int) SOCKET.invokeExact(Native.errnoState(), AF_UNIX,
                    SOCK_STREAM | SOCK_CLOEXEC | (nonBlocking ? SOCK_NONBLOCK : 0), 0);
            return Fd.adopt(Files.check("socket", r, null));
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC): two connected ends. */
    public static Fd[] socketPair() throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sv = a.allocate(ValueLayout.JAVA_INT, 2);
            int r = (int) SOCKETPAIR.invokeExact(Native.errnoState(), AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
            Files.check("socketpair", r, null);
            return new Fd[] {Fd.adopt(sv.getAtIndex(ValueLayout.JAVA_INT, 0)), Fd.adopt(sv.getAtIndex(ValueLayout.JAVA_INT, 1))};
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** bind(2) to a filesystem path. */
    public static void bind(Fd fd, Path path) throws LinuxException {
        addressCall("bind", BIND, fd, path);
    }

    /** connect(2) to a filesystem path. */
    public static void connect(Fd fd, Path path) throws LinuxException {
        addressCall("connect", CONNECT, fd, path);
    }

    private static void addressCall(String call, MethodHandle mh, Fd fd, Path path) throws LinuxException {
        byte[] p = path.toString().getBytes(StandardCharsets.UTF_8);
        if (p.length > PATH_MAX) {
            throw new LinuxException(call, Errno.ENAMETOOLONG, path + " is longer than " + PATH_MAX + " bytes");
        }
        int n = fd.acquire(call);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = a.allocate(SOCKADDR_UN_SIZE, 2);
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(p, 0, addr, ValueLayout.JAVA_BYTE, 2, p.length);
            int r = (int) mh.invokeExact(Native.errnoState(), n, addr, (int) SOCKADDR_UN_SIZE);
            Files.check(call, r, path);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            fd.release();
        }
    }

    /** listen(2). */
    public static void listen(Fd fd, int backlog) throws LinuxException {
        int n = fd.acquire("listen");
        try {
            int r = (int) LISTEN.invokeExact(Native.errnoState(), n, backlog);
            Files.check("listen", r, fd);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            fd.release();
        }
    }

    /** accept4(2) with SOCK_CLOEXEC: the next connection. */
    public static Fd accept(Fd listening, boolean nonBlocking) throws LinuxException {
        int n = listening.acquire("accept4");
        try {
            int r = (int) ACCEPT4.invokeExact(Native.errnoState(), n, MemorySegment.NULL, MemorySegment.NULL,
                    SOCK_CLOEXEC | (nonBlocking ? SOCK_NONBLOCK : 0));
            return Fd.adopt(Files.check("accept4", r, listening));
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            listening.release();
        }
    }

    /** shutdown(2) both directions: the peer reads end of file; a listening socket stops accepting. */
    public static void shutdown(Fd fd) throws LinuxException {
        int n = fd.acquire("shutdown");
        try {
            int r = (int) SHUTDOWN.invokeExact(Native.errnoState(), n, SHUT_RDWR);
            Files.check("shutdown", r, fd);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            fd.release();
        }
    }

    /**
     * sendmsg(2) of {@code data} with {@code fds} as SCM_RIGHTS (none if empty), MSG_NOSIGNAL (a
     * closed peer is EPIPE, not a signal). Returns the bytes sent.
     */
    public static int send(Fd fd, MemorySegment data, List<Fd> fds) throws LinuxException {
        if (fds.size() > SCM_MAX_FD) {
            throw new IllegalArgumentException(fds.size() + " descriptors exceed SCM_MAX_FD " + SCM_MAX_FD);
        }
        int held = 0;
        int n = fd.acquire("sendmsg");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment iov = a.allocate(16, 8);
            iov.set(ValueLayout.ADDRESS, 0, data);
            iov.set(ValueLayout.JAVA_LONG, 8, data.byteSize());
            MemorySegment msg = a.allocate(MSGHDR_SIZE, 8);
            msg.set(ValueLayout.ADDRESS, 16, iov);
            msg.set(ValueLayout.JAVA_LONG, 24, 1);
            if (!fds.isEmpty()) {
                long space = cmsgSpace(fds.size());
                MemorySegment ctl = a.allocate(space, 8);
                ctl.set(ValueLayout.JAVA_LONG, 0, CMSG_HDR + 4L * fds.size());
                ctl.set(ValueLayout.JAVA_INT, 8, SOL_SOCKET);
                ctl.set(ValueLayout.JAVA_INT, 12, SCM_RIGHTS);
                for (Fd f : fds) {
                    ctl.set(ValueLayout.JAVA_INT, CMSG_HDR + 4L * held, f.acquire("sendmsg"));
                    held++;
                }
                msg.set(ValueLayout.ADDRESS, 32, ctl);
                msg.set(ValueLayout.JAVA_LONG, 40, space);
            }
            long r = (long) SENDMSG.invokeExact(Native.errnoState(), n, msg, MSG_NOSIGNAL);
            return (int) Files.check("sendmsg", r, fd);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            for (int i = 0; i < held; i++) {
                fds.get(i).release();
            }
            fd.release();
        }
    }

    /**
     * recvmsg(2) into {@code buf}, taking up to {@code maxFds} passed descriptors (close-on-exec).
     * A message's data may arrive in several calls on a stream socket; its descriptors come with
     * its first byte.
     */
    public static Received receive(Fd fd, MemorySegment buf, int maxFds) throws LinuxException {
        int n = fd.acquire("recvmsg");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment iov = a.allocate(16, 8);
            iov.set(ValueLayout.ADDRESS, 0, buf);
            iov.set(ValueLayout.JAVA_LONG, 8, buf.byteSize());
            MemorySegment msg = a.allocate(MSGHDR_SIZE, 8);
            msg.set(ValueLayout.ADDRESS, 16, iov);
            msg.set(ValueLayout.JAVA_LONG, 24, 1);
            long space = cmsgSpace(Math.max(1, Math.min(maxFds, SCM_MAX_FD)));
            MemorySegment ctl = a.allocate(space, 8);
            msg.set(ValueLayout.ADDRESS, 32, ctl);
            msg.set(ValueLayout.JAVA_LONG, 40, space);
            long r = (long) RECVMSG.invokeExact(Native.errnoState(), n, msg, MSG_CMSG_CLOEXEC);
            Files.check("recvmsg", r, fd);
            int flags = msg.get(ValueLayout.JAVA_INT, 48);
            List<Fd> fds = descriptors(ctl, msg.get(ValueLayout.JAVA_LONG, 40));
            return new Received((int) r, fds, (flags & MSG_CTRUNC) != 0);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            fd.release();
        }
    }

    /** The SCM_RIGHTS descriptors in a received control buffer of {@code length} bytes. */
    private static List<Fd> descriptors(MemorySegment ctl, long length) {
        List<Fd> fds = new ArrayList<>();
        long off = 0;
        while (off + CMSG_HDR <= length) {
            long len = ctl.get(ValueLayout.JAVA_LONG, off);
            if (len < CMSG_HDR || off + len > length) {
                break;
            }
            if (ctl.get(ValueLayout.JAVA_INT, off + 8) == SOL_SOCKET && ctl.get(ValueLayout.JAVA_INT, off + 12) == SCM_RIGHTS) {
                for (long p = off + CMSG_HDR; p + 4 <= off + len; p += 4) {
                    fds.add(Fd.adopt(ctl.get(ValueLayout.JAVA_INT, p)));
                }
            }
            off += (len + 7) & ~7L;
        }
        return fds;
    }

    private static long cmsgSpace(int fds) {
        return CMSG_HDR + ((4L * fds + 7) & ~7L);
    }

    /** getsockopt(SO_PEERCRED): the process at the other end. */
    public static PeerCredentials peerCredentials(Fd fd) throws LinuxException {
        int n = fd.acquire("getsockopt");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cred = a.allocate(12, 4);
            MemorySegment len = a.allocateFrom(ValueLayout.JAVA_INT, 12);
            int r = (int) GETSOCKOPT.invokeExact(Native.errnoState(), n, SOL_SOCKET, SO_PEERCRED, cred, len);
            Files.check("getsockopt", r, fd);
            return new PeerCredentials(cred.get(ValueLayout.JAVA_INT, 0), cred.get(ValueLayout.JAVA_INT, 4),
                    cred.get(ValueLayout.JAVA_INT, 8));
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            fd.release();
        }
    }

    /**
     * setsockopt(SO_RCVTIMEO): a blocking receive that waits longer than {@code millis} fails
     * with EAGAIN (0: wait for ever).
     */
    public static void setReceiveTimeout(Fd fd, long millis) throws LinuxException {
        setTimeout(fd, SO_RCVTIMEO, millis);
    }

    /**
     * setsockopt(SO_SNDTIMEO): a blocking send that waits longer than {@code millis} for room
     * fails with EAGAIN, or sends less (0: wait for ever).
     */
    public static void setSendTimeout(Fd fd, long millis) throws LinuxException {
        setTimeout(fd, SO_SNDTIMEO, millis);
    }

    private static void setTimeout(Fd fd, int option, long millis) throws LinuxException {
        int n = fd.acquire("setsockopt");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment tv = a.allocate(16, 8);
            tv.set(ValueLayout.JAVA_LONG, 0, millis / 1000);
            tv.set(ValueLayout.JAVA_LONG, 8, (millis % 1000) * 1000);
            int r = (int) SETSOCKOPT.invokeExact(Native.errnoState(), n, SOL_SOCKET, option, tv, 16);
            Files.check("setsockopt", r, fd);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            fd.release();
        }
    }
}
