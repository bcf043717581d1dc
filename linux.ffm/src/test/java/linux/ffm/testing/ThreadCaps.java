package linux.ffm.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Drops a capability from the calling thread only (capset(2) changes the credentials of the
 * thread that calls it), so a test can meet the kernel's own EPERM without touching the rest of
 * the JVM. The thread cannot get it back: use a thread of its own.
 */
public final class ThreadCaps {
    private ThreadCaps() {}

    public static final int CAP_NET_ADMIN = 12;
    public static final int CAP_SYS_ADMIN = 21;

    /** _LINUX_CAPABILITY_VERSION_3: two 32-bit words per set. */
    private static final int VERSION_3 = 0x20080522;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle CAPGET = handle("capget");
    private static final MethodHandle CAPSET = handle("capset");

    private static MethodHandle handle(String name) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    }

    /** Removes {@code cap} from the calling thread's effective and permitted sets. */
    public static void drop(int cap) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment header = a.allocate(8, 4);
            header.set(ValueLayout.JAVA_INT, 0, VERSION_3);
            header.set(ValueLayout.JAVA_INT, 4, 0);
            // struct __user_cap_data_struct[2] { u32 effective, permitted, inheritable; }
            MemorySegment data = a.allocate(24, 4);
            if ((int) CAPGET.invokeExact(header, data) != 0) {
                throw new IllegalStateException("capget failed");
            }
            long word = 12L * (cap / 32);
            int bit = 1 << (cap % 32);
            data.set(ValueLayout.JAVA_INT, word, data.get(ValueLayout.JAVA_INT, word) & ~bit);
            data.set(ValueLayout.JAVA_INT, word + 4, data.get(ValueLayout.JAVA_INT, word + 4) & ~bit);
            if ((int) CAPSET.invokeExact(header, data) != 0) {
                throw new IllegalStateException("capset failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
