package vdpa.sim.internal;

import java.nio.file.Path;
import linux.ffm.Errno;
import linux.ffm.LinuxException;
import linux.ffm.Netns;

/**
 * Why the kernel would not give a TAP link, in one line that names the cause and what it needs:
 * {@code tap:bbtap0@ns1: network namespace ns1 does not exist (open: ENOENT (/var/run/netns/ns1))}.
 */
final class TapRefusal {
    private TapRefusal() {}

    /** What the link's thread was doing when it was refused. */
    enum Step {
        /** setns(2) into the named namespace (opening its file first). */
        ENTER_NETNS,
        /** open(2) of the clone device, then ioctl TUNSETIFF. */
        OPEN_CLONE_DEVICE,
        /** The eventfd and epoll instance the loop waits in. */
        POLL
    }

    /** The refusal of {@code spec} at {@code step} for {@code e}, prefixed with the link. */
    static String of(LinkSpec.Tap spec, Path cloneDevice, Step step, Exception e) {
        String why = e.getMessage();
        if (e instanceof LinuxException x) {
            why = switch (step) {
                case ENTER_NETNS -> netns(spec.netns(), x);
                case OPEN_CLONE_DEVICE -> x.call().equals("open") ? cloneDevice(cloneDevice, x) : tunsetiff(spec.ifname(), x);
                case POLL -> "cannot wait for the TAP (" + why + ")";
            };
        }
        return spec + ": " + why;
    }

    private static String netns(String name, LinuxException x) {
        String why = x.getMessage();
        return switch (x.errno()) {
            case Errno.ENOENT -> "network namespace " + name + " does not exist (" + why + ")";
            case Errno.EINVAL -> Netns.path(name) + " is not a network namespace (" + why + ")";
            case Errno.EPERM -> "entering network namespace " + name + " is not permitted (" + why + "): it needs CAP_SYS_ADMIN";
            default -> "cannot enter network namespace " + name + " (" + why + ")";
        };
    }

    private static String cloneDevice(Path device, LinuxException x) {
        String why = x.getMessage();
        return switch (x.errno()) {
            case Errno.ENOENT, Errno.ENODEV, Errno.ENXIO -> device + " does not exist (" + why + "): load the tun module";
            case Errno.EACCES, Errno.EPERM -> "no access to " + device + " (" + why + ")";
            default -> "cannot open " + device + " (" + why + ")";
        };
    }

    private static String tunsetiff(String ifname, LinuxException x) {
        String why = x.getMessage();
        return switch (x.errno()) {
            case Errno.EPERM -> "making or attaching TAP " + ifname + " is not permitted (" + why + "): it needs CAP_NET_ADMIN";
            case Errno.EBUSY -> "TAP " + ifname + " is in use by another descriptor (" + why + ")";
            case Errno.EINVAL -> "an interface named " + ifname + " exists and is not a single-queue TAP (" + why + ")";
            default -> "cannot attach TAP " + ifname + " (" + why + ")";
        };
    }
}
