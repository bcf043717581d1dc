package vdpa.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static virtio.spec.VirtioConfig.VIRTIO_CONFIG_S_FEATURES_OK;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import virtio.spec.VirtioFeatures;

/**
 * The {@link VdpaDevice} config-ops contract, for every vDPA device implementation to subclass
 * (published in this module's test-jar). The device under test must be fresh (status 0), offer
 * VIRTIO_F_VERSION_1 and have a config space of at least one byte.
 */
public abstract class VdpaDeviceContract {

    private static final long VERSION_1 = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_VERSION_1);

    /** A fresh device. */
    protected abstract VdpaDevice newDevice();

    protected VdpaDevice dev;

    @BeforeEach
    void create() {
        dev = newDevice();
    }

    /** The device under test. */
    public VdpaDevice device() {
        return dev;
    }

    /** Negotiates {@code features} from a reset; returns the status read back. */
    public int negotiate(long features) {
        VdpaFeatures.negotiate(dev, features);
        return dev.getStatus();
    }

    @Test
    void aNewDeviceIsReset() {
        assertThat(dev.getStatus()).isZero();
        assertThat(dev.getDriverFeatures()).isZero();
    }

    @Test
    void idsAndQueueCountsAreSane() {
        assertThat(dev.getDeviceId()).isNotZero();
        assertThat(dev.vqCount()).isPositive();
        assertThat(Integer.bitCount(dev.getVqAlign())).isEqualTo(1);
    }

    @Test
    void vqNumMinIsAtMostMaxAndEveryQueueSizeIsBetween() {
        assertThat(dev.getVqNumMin()).isBetween(1, dev.getVqNumMax());
        assertThat(dev.getVqNumMax()).isLessThanOrEqualTo(32768);
        for (int i = 0; i < dev.vqCount(); i++) {
            assertThat(dev.getVqSize(i)).isBetween(dev.getVqNumMin(), dev.getVqNumMax());
        }
    }

    @Test
    void statusAccumulatesAndResetClearsStatusFeaturesAndQueues() {
        negotiate(VERSION_1);
        dev.setVqNum(0, dev.getVqNumMin());
        dev.setVqReady(0, true);
        dev.reset();
        assertThat(dev.getStatus()).isZero();
        assertThat(dev.getDriverFeatures()).isZero();
        assertThat(dev.getVqReady(0)).isFalse();
    }

    @Test
    void featuresOkSticksForAnOfferedSubsetAndDriverFeaturesReadBack() {
        assertThat(dev.getDeviceFeatures() & VERSION_1).isEqualTo(VERSION_1);
        int status = negotiate(VERSION_1);
        assertThat(status & VIRTIO_CONFIG_S_FEATURES_OK).isEqualTo(VIRTIO_CONFIG_S_FEATURES_OK);
        assertThat(dev.getDriverFeatures()).isEqualTo(VERSION_1);
    }

    @Test
    void featuresOkIsRefusedForAFeatureNotOffered() {
        long notOffered = ~dev.getDeviceFeatures();
        assumeTrue(notOffered != 0, "device offers all 64 bits");
        int status = negotiate(VERSION_1 | Long.lowestOneBit(notOffered));
        assertThat(status & VIRTIO_CONFIG_S_FEATURES_OK).isZero();
    }

    @Test
    void configAccessInsideTheSpaceWorksAndOutsideThrows() {
        int size = dev.getConfigSize();
        assertThat(dev.getConfig(0, size)).hasSize(size);
        assertThatThrownBy(() -> dev.getConfig(size, MemorySegment.ofArray(new byte[1])))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> dev.getConfig(-1, MemorySegment.ofArray(new byte[1])))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> dev.setConfig(size - 1, new byte[2])).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void generationIsStableWhileNothingChanges() {
        int g = dev.getGeneration();
        dev.getConfig(0, dev.getConfigSize());
        assertThat(dev.getGeneration()).isEqualTo(g);
    }

    @Test
    void vqReadyRoundTrips() {
        negotiate(VERSION_1);
        int last = dev.vqCount() - 1;
        dev.setVqReady(last, true);
        assertThat(dev.getVqReady(last)).isTrue();
        dev.setVqReady(last, false);
        assertThat(dev.getVqReady(last)).isFalse();
    }

    /**
     * A device that saves and restores queue state gives back what was set; one that has only its
     * transport's registers says so ({@link VqStateSupport#INITIAL_ONLY}) and then takes the
     * initial state, refuses any other, and cannot be asked where a queue stands.
     */
    @Test
    void splitVqStateRoundTripsOnAStoppedQueueOrOnlyTheInitialOneIsTakenWhereTheDeviceSaysSo() {
        negotiate(VERSION_1);
        switch (dev.vqStateSupport()) {
            case SAVE_RESTORE -> {
                dev.setVqState(0, new VqState.Split(0xfffe));
                assertThat(dev.getVqState(0)).isEqualTo(new VqState.Split(0xfffe));
            }
            case INITIAL_ONLY -> {
                dev.setVqState(0, VqState.initial(false));
                assertThatThrownBy(() -> dev.setVqState(0, new VqState.Split(0xfffe)))
                        .isInstanceOf(UnsupportedOperationException.class);
                assertThatThrownBy(() -> dev.getVqState(0)).isInstanceOf(UnsupportedOperationException.class);
            }
        }
    }

    @Test
    void aQueueIndexOutOfRangeIsRefused() {
        int n = dev.vqCount();
        assertThatThrownBy(() -> dev.setVqAddress(n, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dev.getVqReady(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aQueueSizeAboveTheMaximumIsRefused() {
        negotiate(VERSION_1);
        assertThatThrownBy(() -> dev.setVqNum(0, dev.getVqSize(0) + 1)).isInstanceOf(IllegalArgumentException.class);
    }


    @Test
    void capabilitiesMatchTheInterfacesImplemented() {
        for (VdpaCapability c : VdpaCapability.values()) {
            assertThat(dev.capabilities().contains(c)).isEqualTo(c.ops().isInstance(dev));
        }
    }
}
