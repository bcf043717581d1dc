package linux.ffm;

import static linux.ffm.internal.Native.INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import linux.ffm.internal.Native;

/**
 * setns(2): the calling thread joins the namespace a descriptor refers to (a file under
 * /proc/PID/ns/ or one {@code ip netns add} bind-mounted under /run/netns/). It moves only the
 * calling thread, for good: call it on a thread of its own that ends when its work in the
 * namespace is done (what it opened there, a TAP device attached by name, stays usable from any
 * thread). Needs CAP_SYS_ADMIN.
 */
public final class Namespaces {
    private Namespaces() {}

    /** The network namespace type (a check: setns refuses a descriptor of another type). */
    public static final int CLONE_NEWNET = 0x40000000;

    private static final MethodHandle SETNS = Native.errnoCall("setns", FunctionDescriptor.of(INT, INT, INT));

    /** setns(2) into {@code ns}, which must be a namespace of type {@code nstype} (0: any). */
    public static void setns(Fd ns, int nstype) throws LinuxException {
        int n = ns.acquire("setns");
        try {
            int r = (int) SETNS.invokeExact(Native.errnoState(), n, nstype);
            Files.check("setns", r, ns);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            ns.release();
        }
    }
}
