package vdpa.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import driver.core.BusConstants;
import driver.core.BusException;
import driver.core.internal.InMemoryBus;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vdpa.bus.Iotlb;
import vdpa.bus.SimpleVdpaDevice;
import vdpa.bus.VdpaAsidOps;
import vdpa.bus.VdpaBindMmOps;
import vdpa.bus.VdpaDevice;
import vdpa.bus.VdpaResetMapOps;
import vdpa.bus.VdpaSetMapOps;
import virtio.spec.VirtioFeatures;

class VdpaDeviceValidatorTest {

    final VdpaDeviceValidator validator = new VdpaDeviceValidator();

    @Test
    void aConsistentDeviceIsAccepted() {
        assertThat(validator.apply(new SimpleVdpaDevice())).isNull();
    }

    @Test
    void deviceIdZeroIsRefused() {
        assertThat(validator.apply(new SimpleVdpaDevice() {
            @Override public int getDeviceId() { return 0; }
        })).contains("get_device_id returns 0");
    }

    @Test
    void zeroQueuesAreRefused() {
        assertThat(validator.apply(new SimpleVdpaDevice(0, SimpleVdpaDevice.FEATURES))).contains("nvqs 0");
    }

    @Test
    void vqNumMaxBelowMinIsRefused() {
        assertThat(validator.apply(new SimpleVdpaDevice() {
            @Override public int getVqNumMin() { return 512; }
        })).isEqualTo("get_vq_num_max 256 is below get_vq_num_min 512");
    }

    @Test
    void vqNumMaxAboveTheVirtioLimitIsRefused() {
        assertThat(validator.apply(new SimpleVdpaDevice() {
            @Override public int getVqNumMax() { return 65536; }
        })).contains("exceeds the virtio limit 32768");
    }

    @Test
    void alignmentMustBeAPowerOfTwo() {
        assertThat(validator.apply(new SimpleVdpaDevice() {
            @Override public int getVqAlign() { return 48; }
        })).contains("get_vq_align 48");
    }

    @Test
    void aQueueInAGroupThatDoesNotExistIsRefused() {
        assertThat(validator.apply(new SimpleVdpaDevice() {
            @Override public int getVqGroup(int idx) { return idx == 2 ? 1 : 0; }
        })).isEqualTo("vq 2 is in group 1 (descriptors 1) but the device has 1 groups");
    }

    /** A device with its own translation (set_map). */
    static class Translating extends SimpleVdpaDevice implements VdpaSetMapOps {
        @Override public void setMap(int asid, Iotlb iotlb) {}
    }

    @Test
    void severalAddressSpacesNeedSetGroupAsid() {
        assertThat(validator.apply(new Translating() {
            @Override public int addressSpaceCount() { return 2; }
        })).contains("without set_group_asid");
    }

    static class Isolating extends Translating implements VdpaAsidOps {
        @Override public int addressSpaceCount() { return 2; }
        @Override public int groupCount() { return 2; }
        @Override public int getVqGroup(int idx) { return idx == 2 ? 1 : 0; }
        @Override public void setGroupAsid(int group, int asid) {}
    }

    @Test
    void severalAddressSpacesWithAsidOpsAndTranslationAreAccepted() {
        assertThat(validator.apply(new Isolating())).isNull();
    }

    static class AsidWithoutTranslation extends SimpleVdpaDevice implements VdpaAsidOps {
        @Override public int addressSpaceCount() { return 2; }
        @Override public void setGroupAsid(int group, int asid) {}
    }

    @Test
    void severalAddressSpacesNeedDeviceSideTranslation() {
        assertThat(validator.apply(new AsidWithoutTranslation())).contains("needs device-side translation");
    }

    @Test
    void useVaNeedsSetMapOrDmaMap() {
        assertThat(validator.apply(new SimpleVdpaDevice() {
            @Override public boolean usesVa() { return true; }
        })).startsWith("use_va without set_map or dma_map");
        assertThat(validator.apply(new Translating() {
            @Override public boolean usesVa() { return true; }
        })).isNull();
    }

    static class ResetMapOnly extends SimpleVdpaDevice implements VdpaResetMapOps {
        @Override public void resetMap(int asid) {}
    }

    @Test
    void resetMapNeedsAMapToReset() {
        assertThat(validator.apply(new ResetMapOnly())).startsWith("reset_map without set_map or dma_map");
    }

    static class BindMmWithoutVa extends Translating implements VdpaBindMmOps {
        @Override public void bindMm(ProcessHandle process) {}
        @Override public void unbindMm() {}
    }

    @Test
    void bindMmNeedsUseVa() {
        assertThat(validator.apply(new BindMmWithoutVa())).contains("bind_mm");
    }

    @Test
    void notificationDataNeedsKickWithData() {
        assertThat(validator.apply(new SimpleVdpaDevice(3, SimpleVdpaDevice.FEATURES
                | VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_NOTIFICATION_DATA))))
                .isEqualTo("offers VIRTIO_F_NOTIFICATION_DATA without kick_vq_with_data");
    }

    @Test
    void aDeviceThatIsNotResetIsRefused() {
        SimpleVdpaDevice d = new SimpleVdpaDevice();
        d.setStatus(1);
        assertThat(validator.apply(d)).contains("status 0x1 at registration");
    }

    static final class Gone extends SimpleVdpaDevice {
        @Override public int getVqAlign() { throw new IllegalStateException("hardware gone"); }
    }

    @Test
    void anOpThatThrowsIsNotTheValidatorsToCatch() {
        assertThatThrownBy(() -> validator.apply(new Gone())).isInstanceOf(IllegalStateException.class)
                .hasMessage("hardware gone");
    }

    @Test
    void theBusRefusesADeviceWhoseOpsThrowWhileItIsChecked() {
        try (InMemoryBus<VdpaDevice> engine = new InMemoryBus<>(VdpaBusAdapter.spec())) {
            VdpaBusAdapter bus = new VdpaBusAdapter(engine);
            assertThatThrownBy(() -> bus.register(new Gone(), Map.of(BusConstants.DEVICE_NAME, "vdpa0")))
                    .isInstanceOf(BusException.class)
                    .hasMessage("bus vdpa refuses device vdpa0: device ops failed while being checked: "
                            + "java.lang.IllegalStateException: hardware gone");
            assertThat(bus.devices()).isEmpty();
        }
    }
}
