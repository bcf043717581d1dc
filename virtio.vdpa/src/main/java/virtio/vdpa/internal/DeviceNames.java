package virtio.vdpa.internal;

import java.util.BitSet;
import java.util.function.Predicate;

/**
 * Hands out {@code prefixN} names, lowest free index first, like the kernel's virtio index
 * allocator (an IDA): a name comes back when its device goes, so a re-probed device usually gets
 * its old name again. Names other transports hold on the same bus are skipped.
 */
final class DeviceNames {

    private final String prefix;
    private final BitSet used = new BitSet();

    DeviceNames(String prefix) {
        this.prefix = prefix;
    }

    /** The lowest free name that is neither ours nor one {@code takenElsewhere} says is taken. */
    synchronized String allocate(Predicate<String> takenElsewhere) {
        for (int i = used.nextClearBit(0);; i = used.nextClearBit(i + 1)) {
            String name = prefix + i;
            if (!takenElsewhere.test(name)) {
                used.set(i);
                return name;
            }
        }
    }

    /** Gives a name back; names this allocator did not hand out are ignored. */
    synchronized void release(String name) {
        if (name.startsWith(prefix)) {
            try {
                used.clear(Integer.parseInt(name.substring(prefix.length())));
            } catch (NumberFormatException | IndexOutOfBoundsException notOurs) {
                // not one of ours
            }
        }
    }
}
