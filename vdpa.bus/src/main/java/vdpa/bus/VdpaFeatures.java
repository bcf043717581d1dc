package vdpa.bus;

import virtio.spec.DeviceStatus;

/**
 * The driver's side of feature negotiation on a vDPA device (virtio 1.2 section 3.1.1, steps 1 to
 * 6; the kernel's {@code vdpa_set_features} after a reset), written once for every driver that
 * programs a device directly: the vhost bridge, and the tests that stand in for a driver.
 */
public final class VdpaFeatures {
    private VdpaFeatures() {}

    /**
     * Resets {@code device}, sets ACKNOWLEDGE, then DRIVER, writes {@code features}, sets
     * FEATURES_OK and reads the status back.
     *
     * @return whether the device kept FEATURES_OK, i.e. accepted the features; on false the device
     *     is left as it answered, and the caller resets it or gives up
     */
    public static boolean negotiate(VdpaDevice device, long features) {
        device.reset();
        int status = DeviceStatus.ACKNOWLEDGE.value();
        device.setStatus(status);
        status |= DeviceStatus.DRIVER.value();
        device.setStatus(status);
        device.setDriverFeatures(features);
        device.setStatus(status | DeviceStatus.FEATURES_OK.value());
        return DeviceStatus.FEATURES_OK.in(device.getStatus());
    }
}
