package virtio.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static virtio.spec.VirtioFeatures.VIRTIO_F_EVENT_IDX;
import static virtio.spec.VirtioFeatures.VIRTIO_F_INDIRECT_DESC;

import java.lang.management.ManagementFactory;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import virtio.spec.VirtioFeatures;

/**
 * The hot path allocates nothing: a warmed-up round trip (add, kick decision, pop, push, publish,
 * notify decision, poll) of a three-element chain costs no heap bytes on this thread.
 */
class AllocationTest {

    static Stream<Arguments> variants() {
        return Stream.of(Layout.values()).flatMap(l -> Stream.of(
                Arguments.of(l, new int[] {VIRTIO_F_EVENT_IDX}),
                Arguments.of(l, new int[] {VIRTIO_F_INDIRECT_DESC}),
                Arguments.of(l, new int[] {VirtioFeatures.VIRTIO_F_IN_ORDER})));
    }

    @ParameterizedTest(name = "{0} features={1}")
    @MethodSource("variants")
    void roundTripAllocatesNothing(Layout layout, int[] features) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Rig rig = layout.rig(64, features)) {
            DmaBuffer header = rig.buffer(12);
            DmaBuffer body = rig.buffer(1500);
            DmaBuffer status = rig.buffer(1);
            BufferChain chain = new BufferChain(3);
            Object token = new Object();
            roundTrips(rig, chain, header, body, status, token, 200_000);
            long before = threads.getCurrentThreadAllocatedBytes();
            roundTrips(rig, chain, header, body, status, token, 100_000);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            // a little slack for the measuring itself; one allocation per round trip would be >= 1.6 MB
            assertThat(allocated).isLessThan(10_000);
        }
    }

    private static void roundTrips(Rig rig, BufferChain chain, DmaBuffer header, DmaBuffer body, DmaBuffer status,
            Object token, int n) {
        DriverQueue driver = rig.driver;
        DeviceQueue device = rig.device;
        for (int i = 0; i < n; i++) {
            chain.clear().readable(header).readable(body).writable(status);
            driver.add(chain, token);
            driver.kickPrepare();
            DescriptorChain c = device.pop();
            device.pushUsed(c.id(), 1);
            device.publishUsed();
            device.needsNotify();
            if (driver.pollUsed() != token) {
                throw new AssertionError("lost the buffer");
            }
        }
    }
}
