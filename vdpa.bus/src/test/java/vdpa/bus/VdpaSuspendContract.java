package vdpa.bus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import virtio.spec.VirtioFeatures;

/**
 * The suspend group's contract ({@link VdpaSuspendOps}), for the tests of devices that implement
 * it: a subclass of {@link VdpaDeviceContract} adds it with {@code implements}, so a device without
 * suspend has no test to skip.
 */
public interface VdpaSuspendContract {

    /** The device under test, fresh. */
    VdpaDevice device();

    /** See {@link VdpaDeviceContract#negotiate}. */
    int negotiate(long features);

    @Test
    default void suspendKeepsQueueStateReadable() {
        VdpaSuspendOps s = (VdpaSuspendOps) device();
        negotiate(VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_VERSION_1));
        device().setVqState(0, new VqState.Split(7));
        device().setVqReady(0, true);
        s.suspend();
        assertThat(device().getVqState(0)).isEqualTo(new VqState.Split(7));
        s.resume();
    }
}
