package virtio.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import virtio.spec.DeviceStatus;
import virtio.spec.VirtioFeatures;
import virtio.spec.Virtq;

/**
 * The {@link VirtioDevice} contract, for every transport to subclass. The device under test must
 * offer VIRTIO_F_VERSION_1, have at least one queue with a non-zero max size and a non-empty
 * config space, and start reset.
 */
public abstract class VirtioDeviceContract {

    /** A fresh device, status 0. */
    protected abstract VirtioDevice newDevice();

    protected VirtioDevice device;

    @BeforeEach
    void create() {
        device = newDevice();
    }

    private void toDriver() {
        device.reset();
        device.setStatus(DeviceStatus.ACKNOWLEDGE.value());
        device.setStatus(DeviceStatus.ACKNOWLEDGE.value() | DeviceStatus.DRIVER.value());
    }

    private int featuresOk(long features) {
        toDriver();
        device.finalizeFeatures(features);
        device.setStatus(device.getStatus() | DeviceStatus.FEATURES_OK.value());
        return device.getStatus();
    }

    private static final long V1 = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_VERSION_1);

    @Test
    void startsReset() {
        assertThat(device.getStatus()).isZero();
        assertThat(device.deviceId()).isNotZero();
    }

    @Test
    void offersVersion1() {
        assertThat(device.deviceFeatures() & V1).isEqualTo(V1);
    }

    @Test
    void statusBitsAccumulateAndResetClearsThem() {
        toDriver();
        assertThat(device.getStatus()).isEqualTo(DeviceStatus.ACKNOWLEDGE.value() | DeviceStatus.DRIVER.value());
        device.reset();
        assertThat(device.getStatus()).isZero();
    }

    @Test
    void featuresOkSticksForAnOfferedSubset() {
        int status = featuresOk(V1);
        assertThat(DeviceStatus.FEATURES_OK.in(status)).isTrue();
        assertThat(device.driverFeatures()).isEqualTo(V1);
    }

    @Test
    void featuresOkRefusedForAFeatureNotOffered() {
        long notOffered = ~device.deviceFeatures() & ~VirtioFeatures.VIRTIO_TRANSPORT_F_MASK;
        assumeTrue(notOffered != 0, "device offers every device-type bit");
        long extra = Long.lowestOneBit(notOffered);
        int status = featuresOk(V1 | extra);
        assertThat(DeviceStatus.FEATURES_OK.in(status)).as("FEATURES_OK with unoffered bit 0x%x", extra).isFalse();
    }

    @Test
    void finalizeReturnsASubsetAndDriverFeaturesReadsItBack() {
        toDriver();
        long written = device.finalizeFeatures(device.deviceFeatures());
        assertThat(written & ~device.deviceFeatures()).isZero();
        assertThat(device.driverFeatures()).isEqualTo(written);
    }

    @Test
    void resetClearsDriverFeatures() {
        featuresOk(V1);
        device.reset();
        assertThat(device.driverFeatures()).isZero();
    }

    @Test
    void configAccessOutsideTheSpaceThrows() {
        int size = device.configSize();
        assertThatThrownBy(() -> device.readConfig(size, MemorySegment.ofArray(new byte[1])))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> device.readConfig(-1, MemorySegment.ofArray(new byte[1])))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> device.writeConfig(size - 1, MemorySegment.ofArray(new byte[2])))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void wholeConfigReadsStableWhileNothingChanges() {
        int gen = device.configGeneration();
        byte[] a = ConfigSpace.read(device, 0, device.configSize());
        byte[] b = ConfigSpace.read(device, 0, device.configSize());
        assertThat(a).isEqualTo(b);
        assertThat(device.configGeneration()).isEqualTo(gen);
    }

    @Test
    void queueMaxSizeIsZeroOutsideTheQueueCount() {
        assertThat(device.queueMaxSize(device.queueCount())).isZero();
        assertThat(device.queueMaxSize(0)).isPositive();
    }

    @Test
    void queuesAreRefusedBeforeFeaturesOk() {
        toDriver();
        assertThatThrownBy(() -> device.setupQueues(List.of(queue(0, 1))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void oversizedQueueIsRefusedAndNothingIsSetUp() {
        featuresOk(V1);
        int max = device.queueMaxSize(0);
        assumeTrue(max < Virtq.VIRTQ_MAX_SIZE, "queue 0 already takes the largest size");
        assertThatThrownBy(() -> device.setupQueues(List.of(queue(0, max + 1))))
                .isInstanceOf(IllegalArgumentException.class);
        device.setupQueues(List.of(queue(0, max))); // still free: the refused call set up nothing
        device.deleteQueues();
        device.deleteQueues();
    }

    private static VirtqueueConfig queue(int index, int size) {
        return new VirtqueueConfig(index, "q" + index, size, 0x1000, 0x2000, 0x3000, null);
    }
}
