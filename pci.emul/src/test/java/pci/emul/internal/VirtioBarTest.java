package pci.emul.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static virtio.spec.VirtioPci.*;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pci.bus.PciRegion;
import vdpa.bus.VdpaVendorStatsOps;

/** Notify, ISR and device-config regions, and a storm of hostile accesses that must never throw. */
class VirtioBarTest {

    final EmulatedFunctions functions = new EmulatedFunctions();
    Regs r;

    @BeforeEach
    void function() throws Exception {
        r = new Regs(functions.function("0000:00:04.0", "52:54:00:12:34:56", 2, "loopback")).enable();
    }

    @AfterEach
    void close() {
        functions.close();
    }

    long kicks(int queue) {
        return ((EmulatedFunction) r.f).model() instanceof VdpaVendorStatsOps s ? s.vendorVqStats(queue).get("kicks") : -1;
    }

    @Test
    void aSixteenBitWriteAtAQueuesNotifyAddressKicksThatQueue() {
        r.bar4.write16(VirtioBar.NOTIFY + 4 * 3, 3);
        assertThat(kicks(3)).isEqualTo(1);
        // the address decides; a wrong value is counted
        r.bar4.write16(VirtioBar.NOTIFY + 4 * 2, 7);
        assertThat(kicks(2)).isEqualTo(1);
        assertThat(r.fault(RegisterFault.NOTIFY_VALUE_MISMATCH)).isEqualTo(1);
        r.bar4.write32(VirtioBar.NOTIFY, 0);
        r.bar4.write16(VirtioBar.NOTIFY + 2, 0);
        r.bar4.write16(VirtioBar.NOTIFY + 4 * 5, 5);
        r.bar4.read16(VirtioBar.NOTIFY);
        assertThat(r.fault(RegisterFault.NOTIFY_BAD_ACCESS)).isEqualTo(4);
        assertThat(kicks(0)).isZero();
    }

    @Test
    void deviceConfigReadsTheModelsNetConfigByNaturallyAlignedAccesses() {
        int d = VirtioBar.DEVICE;
        assertThat(r.bar4.read32(d)).isEqualTo(0x12005452);
        assertThat(r.bar4.read16(d + 4)).isEqualTo(0x5634);
        assertThat(r.bar4.read16(d + 8)).as("max_virtqueue_pairs").isEqualTo(2);
        assertThat(r.bar4.read16(d + 10)).as("mtu").isEqualTo(1500);
        assertThat(r.bar4.read8(d + 5)).isEqualTo(0x56);
        assertThat(r.bar4.read32(d + 2)).isZero();
        assertThat(r.bar4.read64(d)).isZero();
        assertThat(r.fault(RegisterFault.DEVICE_CFG_BAD_ACCESS)).isEqualTo(2);
        assertThat(r.bar4.read8(d + 12)).isZero();
        assertThat(r.fault(RegisterFault.BAR_UNMAPPED)).isEqualTo(1);
        // every net config field is read-only: the model refuses and counts the write
        r.bar4.write8(d, 0);
        assertThat(((EmulatedFunction) r.f).model().configRefused()).isEqualTo(1);
        assertThat(r.bar4.read8(d)).isEqualTo(0x52);
    }

    @Test
    void theIsrTakesOnlyByteReads() {
        r.bar4.read16(VirtioBar.ISR);
        r.bar4.read8(VirtioBar.ISR + 1);
        assertThat(r.fault(RegisterFault.ISR_BAD_ACCESS)).isEqualTo(1);
        assertThat(r.fault(RegisterFault.BAR_UNMAPPED)).isEqualTo(1);
    }

    @Test
    void noAccessToAnyRegisterOfTheFunctionEverThrowsWhateverItWrites() {
        Random random = new Random(20261201);
        int[] widths = {1, 2, 4, 8};
        PciRegion[] regions = {r.config, r.bar1, r.bar4};
        for (int i = 0; i < 200_000; i++) {
            PciRegion region = regions[random.nextInt(regions.length)];
            int width = widths[random.nextInt(region.maxWidth() == 8 ? 4 : 3)];
            long offset = random.nextInt((int) region.size() - width + 1);
            if (random.nextBoolean()) {
                region.read(offset, width);
            } else {
                region.write(offset, width, random.nextLong());
            }
            if (i % 5000 == 0) {
                // now and then a reset and the enables again, so the storm reaches the live registers too
                r.status(0);
                r.enable();
            }
        }
        r.enable();
        r.status(0);
        assertThat(r.status()).isZero();
        assertThat(r.r16(VIRTIO_PCI_COMMON_NUMQ)).isEqualTo(5);
        assertThat(r.deviceFeatures() & (1L << 32)).isNotZero();
    }
}
