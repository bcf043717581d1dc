package driver.core.internal;

import driver.core.DeviceContext;
import driver.core.Driver;
import driver.core.ProbeDeferredException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A driver for engine tests that records every call into a shared journal and keeps the set of
 * devices it holds, so a test can check no device is ever held by two drivers.
 */
final class TestDriver implements Driver<String> {

    enum Mode {
        OK, FAIL, DEFER, HANG, HANG_THEN_FAIL,
        /** Looks for what it needs first, then hangs, then defers if it was not there when it looked. */
        HANG_THEN_DEFER
    }

    final String name;
    final List<String> journal;
    final Map<String, String> holders;
    volatile Mode mode = Mode.OK;
    volatile Predicate<String> ready = d -> true;
    final CountDownLatch release = new CountDownLatch(1);
    Object handle;

    TestDriver(String name, List<String> journal, Map<String, String> holders) {
        this.name = name;
        this.journal = journal;
        this.holders = holders;
    }

    static List<String> journal() {
        return new CopyOnWriteArrayList<>();
    }

    static Map<String, String> holders() {
        return new ConcurrentHashMap<>();
    }

    TestDriver mode(Mode m) {
        this.mode = m;
        return this;
    }

    @Override
    public void probe(String device, DeviceContext context) throws Exception {
        journal.add("probe " + device + " " + name);
        switch (mode) {
            case FAIL -> throw new IllegalStateException(name + " cannot drive " + device);
            case DEFER -> {
                if (!ready.test(device)) {
                    throw new ProbeDeferredException("waiting for firmware");
                }
            }
            case HANG -> {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            }
            case HANG_THEN_FAIL -> {
                release.await(30, TimeUnit.SECONDS);
                throw new IllegalStateException(name + " gave up on " + device);
            }
            case HANG_THEN_DEFER -> {
                boolean found = ready.test(device);
                release.await(30, TimeUnit.SECONDS);
                if (!found) {
                    throw new ProbeDeferredException("waiting for firmware");
                }
            }
            case OK -> { }
        }
        String before = holders.putIfAbsent(device, name);
        if (before != null) {
            throw new AssertionError(device + " probed by " + name + " while held by " + before);
        }
    }

    @Override
    public void remove(String device, DeviceContext context) {
        journal.add("remove " + device + " " + name);
        if (!holders.remove(device, name)) {
            throw new AssertionError(device + " removed by " + name + " which does not hold it");
        }
    }
}
