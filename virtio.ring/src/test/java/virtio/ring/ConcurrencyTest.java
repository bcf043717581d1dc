package virtio.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static virtio.spec.VirtioFeatures.VIRTIO_F_EVENT_IDX;
import static virtio.spec.VirtioFeatures.VIRTIO_F_INDIRECT_DESC;
import static virtio.spec.VirtioFeatures.VIRTIO_F_IN_ORDER;

import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Driver and device on two threads for a million buffers each run. Both sides sleep when idle and
 * wake only through the ring's notification suppression (kickPrepare / needsNotify after
 * enable*), so a lost wakeup in the barrier protocol hangs the test and the timeout fails it (the
 * test runs on a thread of its own and the device thread is a daemon, so a hang cannot keep the
 * test JVM alive).
 * Each buffer carries a sequence number the device echoes back transformed.
 */
class ConcurrencyTest {

    private static final int BUFFERS = 1_000_000;
    private static final long MAGIC = 0x5A5A_0000_1234_0000L;

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of(Layout.SPLIT, new int[] {VIRTIO_F_EVENT_IDX}, false),
                Arguments.of(Layout.PACKED, new int[] {VIRTIO_F_EVENT_IDX}, false),
                Arguments.of(Layout.SPLIT, new int[] {VIRTIO_F_INDIRECT_DESC}, false),
                Arguments.of(Layout.PACKED, new int[] {VIRTIO_F_INDIRECT_DESC}, false),
                Arguments.of(Layout.SPLIT, new int[] {VIRTIO_F_IN_ORDER, VIRTIO_F_EVENT_IDX}, false),
                Arguments.of(Layout.PACKED, new int[] {VIRTIO_F_IN_ORDER, VIRTIO_F_EVENT_IDX}, false),
                // the device leaves notifications enabled and waits whenever pop() finds nothing
                Arguments.of(Layout.SPLIT, new int[] {VIRTIO_F_EVENT_IDX}, true),
                Arguments.of(Layout.PACKED, new int[] {VIRTIO_F_EVENT_IDX}, true),
                Arguments.of(Layout.SPLIT, new int[] {VIRTIO_F_INDIRECT_DESC}, true));
    }

    /**
     * @param waitOnEmptyPop the device never calls enable/disableNotifications: it parks as soon
     *     as {@code pop()} returns null, which the queue promises is a safe point to wait while
     *     notifications are enabled (a lost kick hangs the test)
     */
    @ParameterizedTest(name = "{0} features={1} waitOnEmptyPop={2}")
    @MethodSource("variants")
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyBufferComesBackOnceAcrossTwoThreads(Layout layout, int[] features, boolean waitOnEmptyPop)
            throws Exception {
        try (Rig rig = layout.rig(256, features)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread driverThread = Thread.currentThread();
            Thread device = Thread.ofPlatform().daemon().name("device").start(() -> {
                try {
                    runDevice(rig.device, driverThread, waitOnEmptyPop);
                } catch (Throwable t) {
                    failure.set(t);
                    LockSupport.unpark(driverThread);
                }
            });
            long sum = runDriver(rig, device, failure);
            device.join();
            assertThat(failure.get()).isNull();
            assertThat(sum).isEqualTo((long) BUFFERS * (BUFFERS - 1) / 2);
            assertThat(rig.device.isBroken()).isFalse();
            assertThat(rig.driver.isBroken()).isFalse();
        }
    }

    private static void runDevice(DeviceQueue q, Thread driver, boolean waitOnEmptyPop) {
        int done = 0;
        int batch = 0;
        while (done < BUFFERS) {
            DescriptorChain c = q.pop();
            if (c == null) {
                if (batch > 0) {
                    batch = 0;
                    q.publishUsed();
                    if (q.needsNotify()) {
                        LockSupport.unpark(driver);
                    }
                }
                if (waitOnEmptyPop) {
                    LockSupport.park();
                    continue;
                }
                if (!q.enableNotifications()) {
                    LockSupport.park();
                }
                q.disableNotifications();
                continue;
            }
            long seq = c.readableSegment(0).get(ValueLayout.JAVA_LONG_UNALIGNED, c.readableOffset(0));
            c.writableSegment(0).set(ValueLayout.JAVA_LONG_UNALIGNED, c.writableOffset(0), seq ^ MAGIC);
            q.pushUsed(c.id(), 8);
            done++;
            if (++batch == 32) {
                batch = 0;
                q.publishUsed();
                if (q.needsNotify()) {
                    LockSupport.unpark(driver);
                }
            }
        }
        q.publishUsed();
        if (q.needsNotify()) {
            LockSupport.unpark(driver);
        }
    }

    private static long runDriver(Rig rig, Thread device, AtomicReference<Throwable> failure) {
        DriverQueue q = rig.driver;
        int slots = q.size();
        DmaBuffer[] out = new DmaBuffer[slots];
        DmaBuffer[] in = new DmaBuffer[slots];
        Integer[] tokens = new Integer[slots];
        long[] seqOf = new long[slots];
        int[] free = new int[slots];
        int freeCount = 0;
        BufferChain chain = new BufferChain(2);
        for (int i = 0; i < slots; i++) {
            out[i] = rig.buffer(8);
            in[i] = rig.buffer(8);
            tokens[i] = i;
            free[freeCount++] = i;
        }
        long sent = 0;
        long received = 0;
        long sum = 0;
        long round = 0;
        while (received < BUFFERS && failure.get() == null) {
            boolean added = false;
            // every other batch is staged and exposed by kickPrepare's one publish
            boolean staging = (round++ & 1) == 0;
            while (sent < BUFFERS && freeCount > 0) {
                int slot = free[freeCount - 1];
                out[slot].segment().set(ValueLayout.JAVA_LONG, 0, sent);
                chain.clear().readable(out[slot]).writable(in[slot]);
                if (!(staging ? q.stage(chain, tokens[slot]) : q.add(chain, tokens[slot]))) {
                    break;
                }
                freeCount--;
                seqOf[slot] = sent++;
                added = true;
            }
            if (added && q.kickPrepare()) {
                LockSupport.unpark(device);
            }
            boolean polled = false;
            for (Object t; (t = q.pollUsed()) != null; ) {
                int slot = (Integer) t;
                long echoed = in[slot].segment().get(ValueLayout.JAVA_LONG, 0);
                if (echoed != (seqOf[slot] ^ MAGIC) || q.lastUsedLength() != 8) {
                    throw new AssertionError("slot " + slot + " came back with " + echoed + " for " + seqOf[slot]);
                }
                sum += seqOf[slot];
                free[freeCount++] = slot;
                received++;
                polled = true;
            }
            if (!polled && (freeCount == 0 || sent == BUFFERS)) {
                if (!q.enableCallbacks()) {
                    LockSupport.park();
                }
                q.disableCallbacks();
            }
        }
        return sum;
    }
}
