package virtio.net.internal;

import java.util.HashSet;
import java.util.Set;

/**
 * Interface names: a wanted name if it is free, else the lowest free {@code ethN} (the kernel's
 * {@code eth%d} in dev_alloc_name). One allocator per driver instance.
 */
final class Names {
    private final Set<String> taken = new HashSet<>();

    /** Claims {@code wanted} if non-blank, valid and free; else the lowest free {@code ethN}. */
    synchronized String claim(String wanted) {
        if (wanted != null && wanted.matches("[A-Za-z0-9_.-]{1,15}") && taken.add(wanted)) {
            return wanted;
        }
        for (int i = 0; ; i++) {
            String n = "eth" + i;
            if (taken.add(n)) {
                return n;
            }
        }
    }

    synchronized void release(String name) {
        taken.remove(name);
    }
}
