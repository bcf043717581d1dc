package vdpa.hw.pci.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static virtio.spec.VirtioPci.*;

import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;
import pci.bus.ConfigImage;
import pci.bus.PciRegs;
import pci.emul.internal.EmulatedFunctions;

/**
 * The capability walker against hostile layouts: every structure it accepts lies inside its BAR,
 * every one it refuses says why, and a function without the structures a driver needs is refused.
 */
class VirtioPciCapsTest {

    /** A 16K memory BAR 4, nothing else. */
    static final IntToLongFunction BAR4 = i -> i == 4 ? 0x4000 : 0;

    /** A function with the given vendor capabilities (bodies after cap_vndr and cap_next). */
    static ConfigImage function(byte[]... caps) {
        ConfigImage f = ConfigImage.function("0000:00:04.0", 0x1af4, 0x1041, 0x020000, 1);
        int at = 0x40;
        for (byte[] body : caps) {
            f.capability(at, PciRegs.PCI_CAP_ID_VNDR, body);
            at += 0x14;
        }
        return f;
    }

    /** The body of a struct virtio_pci_cap (and notify_off_multiplier for a notify one). */
    static byte[] cap(int type, int bar, long offset, long length, long mult) {
        byte[] b = new byte[18];
        b[0] = (byte) (type == VIRTIO_PCI_CAP_NOTIFY_CFG ? 20 : 16);
        b[1] = (byte) type;
        b[2] = (byte) bar;
        le32(b, 6, offset);
        le32(b, 10, length);
        le32(b, 14, mult);
        return b;
    }

    static void le32(byte[] b, int at, long v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    static byte[] common() { return cap(VIRTIO_PCI_CAP_COMMON_CFG, 4, 0, 0x38, 0); }
    static byte[] isr() { return cap(VIRTIO_PCI_CAP_ISR_CFG, 4, 0x1000, 1, 0); }
    static byte[] notifyCap(long mult) { return cap(VIRTIO_PCI_CAP_NOTIFY_CFG, 4, 0x3000, 0x1000, mult); }

    @Test
    void aWellFormedFunctionParsesIntoItsStructures() {
        VirtioPciCaps c = VirtioPciCaps.read(function(common(), isr(), notifyCap(4),
                cap(VIRTIO_PCI_CAP_DEVICE_CFG, 4, 0x2000, 12, 0)).config(), BAR4);
        assertThat(c.refusal()).isNull();
        assertThat(c.problems()).isEmpty();
        assertThat(c.commonCfg()).isEqualTo(new VirtioPciCaps.Structure(0x40, 1, 4, 0, 0x38));
        assertThat(c.notifyCfg().offset()).isEqualTo(0x3000);
        assertThat(c.notifyMultiplier()).isEqualTo(4);
        assertThat(c.deviceCfg().length()).isEqualTo(12);
    }

    @Test
    void aStructureBeyondItsBarIsRefusedEvenWhereOffsetPlusLengthWouldWrap32Bits() {
        VirtioPciCaps c = VirtioPciCaps.read(function(cap(VIRTIO_PCI_CAP_COMMON_CFG, 4, 0xffff_ff00L, 0x200, 0),
                cap(VIRTIO_PCI_CAP_COMMON_CFG, 4, 0x3fd0, 0x38, 0), isr(), notifyCap(4)).config(), BAR4);
        assertThat(c.commonCfg()).isNull();
        assertThat(c.problems()).containsExactly(
                "capability at 0x40 (common): 0x200 bytes at 0xffffff00 leave BAR 4 of 0x4000 bytes",
                "capability at 0x54 (common): 0x38 bytes at 0x3fd0 leave BAR 4 of 0x4000 bytes");
        assertThat(c.refusal()).startsWith("no usable virtio common configuration capability (");
    }

    @Test
    void reservedOrMissingBarsAndShortOrMisalignedStructuresAreRefusedAndTheNextUsableOneWins() {
        VirtioPciCaps c = VirtioPciCaps.read(function(cap(VIRTIO_PCI_CAP_COMMON_CFG, 7, 0, 0x38, 0),
                cap(VIRTIO_PCI_CAP_COMMON_CFG, 2, 0, 0x38, 0), cap(VIRTIO_PCI_CAP_COMMON_CFG, 4, 0, 0x10, 0),
                cap(VIRTIO_PCI_CAP_COMMON_CFG, 4, 0x102, 0x38, 0), common(), cap(VIRTIO_PCI_CAP_COMMON_CFG, 4, 0x800, 0x38, 0),
                isr(), notifyCap(4)).config(), BAR4);
        assertThat(c.problems()).containsExactly("capability at 0x40 (common): bar 7 is reserved",
                "capability at 0x54 (common): BAR 2 is not an implemented memory BAR",
                "capability at 0x68 (common): length 0x10 is below the structure's 0x38",
                "capability at 0x7c (common): offset 0x102 is not 4-byte aligned");
        assertThat(c.commonCfg().capability()).as("the first usable one").isEqualTo(0x90);
        assertThat(c.refusal()).isNull();
    }

    @Test
    void aNotifyMultiplierMustBeZeroOrAnEvenPowerOfTwoAndTheCapabilityLongEnoughToHoldIt() {
        assertThat(VirtioPciCaps.read(function(common(), isr(), notifyCap(3)).config(), BAR4).problems())
                .containsExactly("capability at 0x68 (notify): notify_off_multiplier 3 is neither 0 nor an even power of two");
        assertThat(VirtioPciCaps.read(function(common(), isr(), notifyCap(1)).config(), BAR4).notifyCfg()).isNull();
        assertThat(VirtioPciCaps.read(function(common(), isr(), notifyCap(0)).config(), BAR4).notifyCfg()).isNotNull();
        byte[] shortNotify = notifyCap(4);
        shortNotify[0] = 16;
        assertThat(VirtioPciCaps.read(function(common(), isr(), shortNotify).config(), BAR4).problems())
                .containsExactly("capability at 0x68 (notify) has cap_len 16: needs 20 bytes inside configuration space");
    }

    @Test
    void aFunctionWithoutTheNeededStructuresIsRefusedWithWhatIsMissing() {
        assertThat(VirtioPciCaps.read(function(common()).config(), BAR4).refusal())
                .isEqualTo("no usable virtio notification, ISR status capability");
        assertThat(VirtioPciCaps.read(function().config(), BAR4).refusal())
                .isEqualTo("no usable virtio common configuration, notification, ISR status capability");
    }

    @Test
    void aBrokenCapabilityListKeepsWhatWasFoundAndSaysWhereItBroke() {
        ConfigImage f = function(common(), isr(), notifyCap(4));
        f.config().write8(0x69, 0x40);
        VirtioPciCaps c = VirtioPciCaps.read(f.config(), BAR4);
        assertThat(c.refusal()).isNull();
        assertThat(c.walk()).isEqualTo("capability list loops back to 0x40");
    }

    @Test
    void theEmulatedFunctionsLayoutParsesAsQemusDoes() throws Exception {
        try (EmulatedFunctions functions = new EmulatedFunctions()) {
            VirtioPciCaps c = VpPciDriver.capabilities(functions.function("0000:00:04.0", 2, "loopback"));
            assertThat(c.refusal()).isNull();
            assertThat(c.problems()).isEmpty();
            assertThat(c.commonCfg().bar()).isEqualTo(4);
            assertThat(c.isrCfg().offset()).isEqualTo(0x1000);
            assertThat(c.deviceCfg().offset()).isEqualTo(0x2000);
            assertThat(c.notifyCfg().offset()).isEqualTo(0x3000);
            assertThat(c.notifyMultiplier()).isEqualTo(4);
        }
    }
}
