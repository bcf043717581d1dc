package virtio.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import virtio.spec.VirtioFeatures;

class ConfigSpaceTest {

    /** A device whose config changes under the reader for the first {@code torn} reads. */
    static class TearingDevice extends InMemoryVirtioDevice {
        int torn;
        int reads;

        TearingDevice(int torn) {
            super(1, 0, VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_VERSION_1), 0, 8, 64);
            this.torn = torn;
        }

        @Override
        public synchronized void readConfig(int offset, MemorySegment dst) {
            super.readConfig(offset, dst);
            reads++;
            if (torn > 0) {
                torn--;
                deviceWritesConfig(0, (byte) reads, (byte) 0x12);
            }
        }
    }

    @Test
    void aTornReadIsRepeatedUntilTheGenerationHolds() {
        TearingDevice dev = new TearingDevice(3);
        int v = ConfigSpace.readLe16(dev, 0);
        assertThat(dev.reads).isEqualTo(4);
        assertThat(v).isEqualTo(0x1203);
    }

    @Test
    void aDeviceThatNeverSettlesFailsTheReadInsteadOfSpinning() {
        TearingDevice dev = new TearingDevice(Integer.MAX_VALUE);
        assertThatThrownBy(() -> ConfigSpace.readU8(dev, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not settle");
        assertThat(dev.reads).isEqualTo(ConfigSpace.MAX_ATTEMPTS);
    }

    @Test
    void fieldsAreLittleEndian() {
        InMemoryVirtioDevice dev = new InMemoryVirtioDevice(1, 0, 0, 0, 16, 64);
        ConfigSpace.write(dev, 0, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertThat(ConfigSpace.readLe32(dev, 0)).isEqualTo(0x04030201);
        assertThat(ConfigSpace.readLe64(dev, 0)).isEqualTo(0x0807060504030201L);
    }

    @Test
    void outOfRangeReadsAreRefused() {
        InMemoryVirtioDevice dev = new InMemoryVirtioDevice(1, 0, 0, 0, 4, 64);
        assertThatThrownBy(() -> ConfigSpace.readLe64(dev, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
