package linux.ffm;

import static linux.ffm.internal.Native.INT;
import static linux.ffm.internal.Native.LONG;
import static linux.ffm.internal.Native.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import linux.ffm.internal.Native;

/**
 * File calls: open, close, read, write, pread, pwrite, fstat (the size), ftruncate, memfd_create,
 * fcntl, ioctl, chmod, umask, unlink. Each returns its result or throws a {@link LinuxException}
 * naming the call and errno. Buffers are {@link MemorySegment}s: native ones go to the kernel as
 * they are; the caller's bounds are the segment's.
 */
public final class Files {
    private Files() {}

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_TRUNC = 01000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;

    /** memfd_create flag: close on exec. */
    public static final int MFD_CLOEXEC = 1;
    /** memfd_create flag: the memfd may be sealed. */
    public static final int MFD_ALLOW_SEALING = 2;
    /** memfd_create flag: backed by huge pages. */
    public static final int MFD_HUGETLB = 4;

    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int FD_CLOEXEC = 1;

    private static final MethodHandle OPEN = Native.errnoCallVariadic("open", FunctionDescriptor.of(INT, PTR, INT, INT), 2);
    private static final MethodHandle CLOSE = Native.errnoCall("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle READ = Native.errnoCall("read", FunctionDescriptor.of(LONG, INT, PTR, LONG));
    private static final MethodHandle WRITE = Native.errnoCall("write", FunctionDescriptor.of(LONG, INT, PTR, LONG));
    private static final MethodHandle PREAD = Native.errnoCall("pread", FunctionDescriptor.of(LONG, INT, PTR, LONG, LONG));
    private static final MethodHandle PWRITE = Native.errnoCall("pwrite", FunctionDescriptor.of(LONG, INT, PTR, LONG, LONG));
    private static final MethodHandle FSTAT = Native.errnoCall("fstat", FunctionDescriptor.of(INT, INT, PTR));
    private static final MethodHandle FTRUNCATE = Native.errnoCall("ftruncate", FunctionDescriptor.of(INT, INT, LONG));
    private static final MethodHandle MEMFD_CREATE = Native.errnoCall("memfd_create", FunctionDescriptor.of(INT, PTR, INT));
    private static final MethodHandle FCNTL = Native.errnoCallVariadic("fcntl", FunctionDescriptor.of(INT, INT, INT, LONG), 2);
    private static final MethodHandle IOCTL = Native.errnoCallVariadic("ioctl", FunctionDescriptor.of(INT, INT, LONG, PTR), 2);
    private static final MethodHandle CHMOD = Native.errnoCall("chmod", FunctionDescriptor.of(INT, PTR, INT));
    private static final MethodHandle UMASK = Native.errnoCall("umask", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle UNLINK = Native.errnoCall("unlink", FunctionDescriptor.of(INT, PTR));

    /**
     * {@code struct stat} is 144 bytes on x86-64, 128 on arm64; {@code st_size} is at 48 on both,
     * {@code st_blksize} at 56 (a long on x86-64, an int on arm64: its low half, little-endian),
     * {@code st_mode} at 24 on x86-64 and 16 on arm64.
     */
    private static final long STAT_SIZE = 256;
    private static final long ST_SIZE = 48;
    private static final long ST_BLKSIZE = 56;
    private static final long ST_MODE = Native.x86_64() ? 24 : 16;

    /** open(2). */
    public static Fd open(Path path, int flags, int mode) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            int r = (int) OPEN.invokeExact(Native.errnoState(), a.allocateFrom(path.toString()), flags | O_CLOEXEC, mode);
            return Fd.adopt(check("open", r, path.toString()));
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** read(2) into {@code buf}; returns the bytes read, 0 at end of file. */
    public static int read(Fd fd, MemorySegment buf) throws LinuxException {
        int n = fd.acquire("read");
        try {
            long r = (long) READ.invokeExact(Native.errnoState(), n, buf, buf.byteSize());
            return (int) check("read", r, fd);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            fd.release();
        }
    }

    /** write(2) of {@code buf}; returns the bytes written. */
    public static int write(Fd fd, MemorySegment buf) throws LinuxException {
        int n = fd.acquire("write");
        try {
            long r = (long) WRITE.invokeExact(Native.errnoState(), n, buf, buf.byteSize());
            return (int) check("write", r, fd);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            fd.release();
        }
    }

    /** pread(2) at {@code offset}. */
    public static int pread(Fd fd, MemorySegment buf, long offset) throws LinuxException {
        int n = fd.acquire("pread");
        try {
            long r = (long) PREAD.invokeExact(Native.errnoState(), n, buf, buf.byteSize(), offset);
            return (int) check("pread", r, fd);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            fd.release();
        }
    }

    /** pwrite(2) at {@code offset}. */
    public static int pwrite(Fd fd, MemorySegment buf, long offset) throws LinuxException {
        int n = fd.acquire("pwrite");
        try {
            long r = (long) PWRITE.invokeExact(Native.errnoState(), n, buf, buf.byteSize(), offset);
            return (int) check("pwrite", r, fd);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            fd.release();
        }
    }

    /** What fstat(2) says of a file that this package uses. */
    public record Stat(long size, int blockSize, int mode) {
        /** S_IFMT bits: the file type. */
        public static final int S_IFMT = 0170000;
        public static final int S_IFREG = 0100000;
        public static final int S_IFSOCK = 0140000;

        /** Whether it is a regular file (a memfd, a hugetlbfs file). */
        public boolean isRegular() {
            return (mode & S_IFMT) == S_IFREG;
        }
    }

    /** The size in bytes fstat(2) reports ({@code st_size}). */
    public static long size(Fd fd) throws LinuxException {
        return stat(fd).size();
    }

    /**
     * fstat(2): size, preferred block size (a hugetlbfs file's is its page size: mappings of it
     * are whole pages), mode.
     */
    public static Stat stat(Fd fd) throws LinuxException {
        int n = fd.acquire("fstat");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STAT_SIZE, 8);
            int r = (int) FSTAT.invokeExact(Native.errnoState(), n, st);
            check("fstat", r, fd);
            return new Stat(st.get(LONG, ST_SIZE), st.get(INT, ST_BLKSIZE), st.get(INT, ST_MODE));
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            fd.release();
        }
    }

    /** ftruncate(2). */
    public static void truncate(Fd fd, long length) throws LinuxException {
        int n = fd.acquire("ftruncate");
        try {
            int r = (int) FTRUNCATE.invokeExact(Native.errnoState(), n, length);
            check("ftruncate", r, fd);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            fd.release();
        }
    }

    /** memfd_create(2): an anonymous file in memory, close-on-exec. */
    public static Fd memfdCreate(String name, int flags) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            int r = (int) MEMFD_CREATE.invokeExact(Native.errnoState(), a.allocateFrom(name), flags | MFD_CLOEXEC);
            return Fd.adopt(check("memfd_create", r, name));
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** fcntl(2) with an integer argument; returns what the command returns. */
    public static int fcntl(Fd fd, int cmd, long arg) throws LinuxException {
        int n = fd.acquire("fcntl");
        try {
            int r = (int) FCNTL.invokeExact(Native.errnoState(), n, cmd, arg);
            return check("fcntl", r, fd);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            fd.release();
        }
    }

    /** Sets or clears O_NONBLOCK. */
    public static void setNonBlocking(Fd fd, boolean on) throws LinuxException {
        int fl = fcntl(fd, F_GETFL, 0);
        fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
    }

    /** ioctl(2) with a pointer argument ({@link MemorySegment#NULL} for none); returns its non-negative result. */
    public static int ioctl(Fd fd, long request, MemorySegment arg) throws LinuxException {
        int n = fd.acquire("ioctl");
        try {
            int r = (int) IOCTL.invokeExact(Native.errnoState(), n, request, arg);
            return check("ioctl", r, fd);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            fd.release();
        }
    }

    /** chmod(2). */
    public static void chmod(Path path, int mode) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            int r = (int) CHMOD.invokeExact(Native.errnoState(), a.allocateFrom(path.toString()), mode);
            check("chmod", r, path.toString());
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** umask(2): sets the process's file mode creation mask, returns the previous one. Process-wide. */
    public static int umask(int mask) {
        try {
            return (int) UMASK.invokeExact(Native.errnoState(), mask);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** unlink(2). */
    public static void unlink(Path path) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            int r = (int) UNLINK.invokeExact(Native.errnoState(), a.allocateFrom(path.toString()));
            check("unlink", r, path.toString());
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Closes a bare number ({@link Fd#close()} does, once). Errors are not reported: the number is gone either way. */
    static void closeNumber(int number) {
        try {
            int ignored = (int) CLOSE.invokeExact(Native.errnoState(), number);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code r} if not negative, else the call's errno as an exception. */
    static int check(String call, int r, Object about) throws LinuxException {
        if (r < 0) {
            throw new LinuxException(call, Native.errno(), about == null ? null : about.toString());
        }
        return r;
    }

    static long check(String call, long r, Object about) throws LinuxException {
        if (r < 0) {
            throw new LinuxException(call, Native.errno(), about == null ? null : about.toString());
        }
        return r;
    }
}
