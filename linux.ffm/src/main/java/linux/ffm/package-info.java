/**
 * The Linux calls busbar's native layers need, through the FFM API (java.lang.foreign, no JNI):
 * {@link linux.ffm.Files} (open, read, write, pread, pwrite, fstat, ftruncate, memfd_create,
 * fcntl, ioctl, chmod, umask, unlink), {@link linux.ffm.Mapping} (mmap, munmap),
 * {@link linux.ffm.EventFd}, {@link linux.ffm.Epoll}, {@link linux.ffm.UnixSocket} (AF_UNIX
 * stream sockets with SCM_RIGHTS descriptor passing and SO_PEERCRED),
 * {@link linux.ffm.Namespaces} (setns), {@link linux.ffm.Netns} (named network namespaces, entered
 * by the calling thread only) and {@link linux.ffm.Tap} (TAP interfaces through /dev/net/tun).
 *
 * <p><b>Errors.</b> Every call that fails throws a {@link linux.ffm.LinuxException} carrying the
 * call's name and its errno with its name ({@code recvmsg: EBADF}); errno is captured by the
 * downcall itself (Linker.Option.captureCallState), so nothing the JVM does in between can
 * overwrite it.
 *
 * <p><b>Ownership.</b> A descriptor is an {@link linux.ffm.Fd}: closed once, and only after every
 * call in flight on it returned, so a close racing a read cannot let the read reach a file that
 * reuses the number. Calls that make a descriptor return it owned; the caller closes it (every
 * type here is AutoCloseable). A mapping is unmapped by its {@code close()}, never by the
 * garbage collector, and its segment is unusable afterwards.
 *
 * <p>Layouts (struct msghdr, cmsghdr, sockaddr_un, stat, epoll_event) are those of Linux on
 * 64-bit x86 and arm.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package linux.ffm;
