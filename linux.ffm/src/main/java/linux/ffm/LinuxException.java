package linux.ffm;

import java.io.IOException;

/**
 * A Linux call failed: which call, with what errno. The message reads
 * {@code "<call>: <ERRNO NAME>"} plus what the caller added (a path, an fd).
 */
public final class LinuxException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    public LinuxException(String call, int errno, String detail) {
        super(call + ": " + Errno.name(errno) + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        this.call = call;
        this.errno = errno;
    }

    /** The libc function that failed, e.g. {@code recvmsg}. */
    public String call() {
        return call;
    }

    /** The errno it returned. */
    public int errno() {
        return errno;
    }

    /** The errno's name, e.g. {@code EBADF}. */
    public String errnoName() {
        return Errno.name(errno);
    }
}
