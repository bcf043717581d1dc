package virtio.bus.internal;

import java.util.function.Function;
import virtio.bus.VirtioDevice;
import virtio.spec.Virtq;

/**
 * Why the virtio bus refuses a device, or {@code null}. Only what makes a device unusable by any
 * driver is refused here; what a particular driver cannot use (legacy devices, missing features)
 * fails that driver's probe with the reason instead.
 */
final class VirtioDeviceValidator implements Function<VirtioDevice, String> {

    /** An op that throws is not caught here: the bus's admission refuses the device with it. */
    @Override
    public String apply(VirtioDevice d) {
        if (d.deviceId() == 0) {
            return "device id 0 is reserved (invalid device)";
        }
        if (d.configSize() < 0) {
            return "config size " + d.configSize() + " is negative";
        }
        int n = d.queueCount();
        if (n < 0 || n > 0x10000) {
            return "queue count " + n + " is outside 0..65536";
        }
        for (int i = 0; i < n; i++) {
            int max = d.queueMaxSize(i);
            if (max < 0 || max > Virtq.VIRTQ_MAX_SIZE) {
                return "queue " + i + " max size " + max + " is outside 0.." + Virtq.VIRTQ_MAX_SIZE;
            }
        }
        return null;
    }
}
