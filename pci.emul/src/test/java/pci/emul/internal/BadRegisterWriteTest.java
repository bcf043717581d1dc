package pci.emul.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static virtio.spec.VirtioPci.*;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import virtio.spec.DeviceStatus;
import virtio.spec.VirtioFeatures;

/**
 * Every bad register access a driver can make to the common configuration structure: handled as
 * the device side of virtio 1.2 section 4.1 says, counted under its {@link RegisterFault}, and
 * never thrown back (each test would fail on an exception).
 */
class BadRegisterWriteTest {

    static final long VERSION_1 = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_VERSION_1);
    static final long RING_PACKED = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_RING_PACKED);
    static final int FEATURES_OK_BIT = DeviceStatus.FEATURES_OK.value();

    final EmulatedFunctions functions = new EmulatedFunctions();
    Regs r;

    @BeforeEach
    void function() throws Exception {
        r = new Regs(functions.function("0000:00:04.0", 2, "loopback")).enable();
    }

    @AfterEach
    void close() {
        functions.close();
    }

    @Test
    void aSplitRingQueueSizeThatIsNotAPowerOfTwoIsRefusedAndTheOldSizeStays() {
        r.negotiate(VERSION_1);
        r.select(0);
        int max = r.r16(VIRTIO_PCI_COMMON_Q_SIZE);
        r.w16(VIRTIO_PCI_COMMON_Q_SIZE, 100);
        assertThat(r.r16(VIRTIO_PCI_COMMON_Q_SIZE)).isEqualTo(max);
        assertThat(r.fault(RegisterFault.QUEUE_SIZE_INVALID)).isEqualTo(1);
        r.w16(VIRTIO_PCI_COMMON_Q_SIZE, 0);
        r.w16(VIRTIO_PCI_COMMON_Q_SIZE, max * 2);
        assertThat(r.fault(RegisterFault.QUEUE_SIZE_INVALID)).isEqualTo(3);
        r.w16(VIRTIO_PCI_COMMON_Q_SIZE, 64);
        assertThat(r.r16(VIRTIO_PCI_COMMON_Q_SIZE)).isEqualTo(64);
    }

    @Test
    void aPackedRingMayHaveAnySizeUpToTheMaximum() {
        assertThat(r.negotiate(VERSION_1 | RING_PACKED) & FEATURES_OK_BIT).isEqualTo(FEATURES_OK_BIT);
        r.select(1);
        r.w16(VIRTIO_PCI_COMMON_Q_SIZE, 100);
        assertThat(r.r16(VIRTIO_PCI_COMMON_Q_SIZE)).isEqualTo(100);
        assertThat(r.fault(RegisterFault.QUEUE_SIZE_INVALID)).isZero();
    }

    @Test
    void enablingAQueueBeforeItsAddressesLeavesItDisabled() {
        r.negotiate(VERSION_1);
        r.select(0);
        r.w16(VIRTIO_PCI_COMMON_Q_SIZE, 64);
        r.w64(VIRTIO_PCI_COMMON_Q_DESCLO, 0x10000);
        r.w64(VIRTIO_PCI_COMMON_Q_AVAILLO, 0x20000);
        r.w16(VIRTIO_PCI_COMMON_Q_ENABLE, 1);
        assertThat(r.r16(VIRTIO_PCI_COMMON_Q_ENABLE)).isZero();
        assertThat(r.fault(RegisterFault.QUEUE_ENABLE_BEFORE_ADDRESS)).isEqualTo(1);
        r.w64(VIRTIO_PCI_COMMON_Q_USEDLO, 0x30000);
        r.w16(VIRTIO_PCI_COMMON_Q_ENABLE, 1);
        assertThat(r.r16(VIRTIO_PCI_COMMON_Q_ENABLE)).isEqualTo(1);
    }

    @Test
    void featuresWrittenAfterFeaturesOkAreIgnored() {
        assertThat(r.negotiate(VERSION_1) & FEATURES_OK_BIT).isEqualTo(FEATURES_OK_BIT);
        r.driverFeatures(VERSION_1 | RING_PACKED);
        assertThat(r.driverFeaturesRead()).isEqualTo(VERSION_1);
        assertThat(r.fault(RegisterFault.FEATURES_AFTER_FEATURES_OK)).isEqualTo(2);
        assertThat(r.status() & FEATURES_OK_BIT).isEqualTo(FEATURES_OK_BIT);
    }

    @Test
    void aQueueSelectOutOfRangeReadsSizeZeroAndItsWritesAreIgnored() {
        r.negotiate(VERSION_1);
        int n = r.r16(VIRTIO_PCI_COMMON_NUMQ);
        assertThat(n).isEqualTo(5);
        r.select(n);
        assertThat(r.r16(VIRTIO_PCI_COMMON_Q_SELECT)).isEqualTo(n);
        assertThat(r.r16(VIRTIO_PCI_COMMON_Q_SIZE)).isZero();
        assertThat(r.r16(VIRTIO_PCI_COMMON_Q_MSIX)).isEqualTo(VIRTIO_MSI_NO_VECTOR);
        r.w16(VIRTIO_PCI_COMMON_Q_SIZE, 64);
        r.w64(VIRTIO_PCI_COMMON_Q_DESCLO, 0x1000);
        r.w16(VIRTIO_PCI_COMMON_Q_MSIX, 0);
        r.w16(VIRTIO_PCI_COMMON_Q_ENABLE, 1);
        assertThat(r.fault(RegisterFault.QUEUE_SELECT_OUT_OF_RANGE)).isEqualTo(4);
        assertThat(r.r16(VIRTIO_PCI_COMMON_Q_SIZE)).isZero();
        r.select(0xffff);
        assertThat(r.r16(VIRTIO_PCI_COMMON_Q_ENABLE)).isZero();
    }

    @Test
    void writesToReadOnlyFieldsAreIgnored() {
        long features = r.deviceFeatures();
        int generation = r.r8(VIRTIO_PCI_COMMON_CFGGENERATION);
        r.w32(VIRTIO_PCI_COMMON_DFSELECT, 0);
        r.w32(VIRTIO_PCI_COMMON_DF, 0);
        r.w16(VIRTIO_PCI_COMMON_NUMQ, 1);
        r.w8(VIRTIO_PCI_COMMON_CFGGENERATION, generation + 1);
        r.select(0);
        r.w16(VIRTIO_PCI_COMMON_Q_NOFF, 3);
        r.bar4.write8(VirtioBar.ISR, 1);
        assertThat(r.fault(RegisterFault.READ_ONLY_WRITE)).isEqualTo(5);
        assertThat(r.deviceFeatures()).isEqualTo(features);
        assertThat(r.r16(VIRTIO_PCI_COMMON_NUMQ)).isEqualTo(5);
        assertThat(r.r8(VIRTIO_PCI_COMMON_CFGGENERATION)).isEqualTo(generation);
        assertThat(r.r16(VIRTIO_PCI_COMMON_Q_NOFF)).isZero();
    }

    @Test
    void accessesThatAreNotOneFieldWithItsNaturalWidthReadZeroAndWriteNothing() {
        r.w32(VIRTIO_PCI_COMMON_Q_SELECT, 0x00400000);      // 32 bits over queue_select and queue_size
        r.w16(VIRTIO_PCI_COMMON_DFSELECT + 1, 1);           // unaligned
        r.w64(VIRTIO_PCI_COMMON_DFSELECT, -1L);             // 64 bits over two 32-bit fields
        r.w8(VIRTIO_PCI_COMMON_NUMQ, 1);                    // 8 bits of a 16-bit field
        assertThat(r.r32(VIRTIO_PCI_COMMON_MSIX)).isZero(); // 32 bits over two 16-bit fields
        assertThat(r.bar4.read64(VIRTIO_PCI_COMMON_Q_DESCHI)).isZero();
        assertThat(r.fault(RegisterFault.COMMON_BAD_ACCESS)).isEqualTo(6);
        assertThat(r.r16(VIRTIO_PCI_COMMON_Q_SELECT)).isZero();
        assertThat(r.r32(VIRTIO_PCI_COMMON_DFSELECT)).isZero();
        // past the structure, before the ISR page: no register
        r.bar4.write32(VIRTIO_PCI_MODERN_COMMON_CFG_SIZEOF, 1);
        assertThat(r.fault(RegisterFault.BAR_UNMAPPED)).isEqualTo(1);
    }

    @Test
    void theFieldsOfFeaturesNotOfferedAreRefused() {
        r.select(0);
        assertThat(r.r16(VIRTIO_PCI_COMMON_Q_RESET)).isZero();
        r.w16(VIRTIO_PCI_COMMON_Q_RESET, 1);
        r.w16(VIRTIO_PCI_COMMON_Q_NDATA, 1);
        assertThat(r.fault(RegisterFault.FIELD_NOT_OFFERED)).isEqualTo(2);
    }

    @Test
    void aDriverNeverWritesZeroToQueueEnableAndAnEnabledQueueKeepsItsFields() {
        r.negotiate(VERSION_1);
        r.select(0);
        r.program(64, 0x10000, 0x20000, 0x30000);
        r.w16(VIRTIO_PCI_COMMON_Q_ENABLE, 1);
        r.w16(VIRTIO_PCI_COMMON_Q_ENABLE, 0);
        r.w16(VIRTIO_PCI_COMMON_Q_ENABLE, 2);
        assertThat(r.fault(RegisterFault.QUEUE_ENABLE_NOT_ONE)).isEqualTo(2);
        assertThat(r.r16(VIRTIO_PCI_COMMON_Q_ENABLE)).isEqualTo(1);
        r.w16(VIRTIO_PCI_COMMON_Q_SIZE, 32);
        r.w64(VIRTIO_PCI_COMMON_Q_DESCLO, 0x40000);
        r.w16(VIRTIO_PCI_COMMON_Q_MSIX, 1);
        assertThat(r.fault(RegisterFault.QUEUE_WRITE_WHILE_ENABLED)).isEqualTo(3);
        assertThat(r.r16(VIRTIO_PCI_COMMON_Q_SIZE)).isEqualTo(64);
        assertThat(r.r32(VIRTIO_PCI_COMMON_Q_DESCLO)).isEqualTo(0x10000);
    }

    @Test
    void anMsixVectorBeyondTheTableFailsToMapAndReadsNoVector() {
        int table = r.f.msix().orElseThrow().tableSize();
        assertThat(table).isEqualTo(6);
        r.w16(VIRTIO_PCI_COMMON_MSIX, table);
        assertThat(r.r16(VIRTIO_PCI_COMMON_MSIX)).isEqualTo(VIRTIO_MSI_NO_VECTOR);
        r.w16(VIRTIO_PCI_COMMON_MSIX, table - 1);
        assertThat(r.r16(VIRTIO_PCI_COMMON_MSIX)).isEqualTo(table - 1);
        r.select(2);
        r.w16(VIRTIO_PCI_COMMON_Q_MSIX, 0x7ff);
        assertThat(r.r16(VIRTIO_PCI_COMMON_Q_MSIX)).isEqualTo(VIRTIO_MSI_NO_VECTOR);
        assertThat(r.fault(RegisterFault.MSIX_VECTOR_REFUSED)).isEqualTo(2);
    }

    @Test
    void statusBitsOnlyAccumulateUntilReset() {
        r.status(1);
        r.status(3);
        r.status(1);
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.fault(RegisterFault.STATUS_BIT_CLEARED)).isEqualTo(1);
    }

    @Test
    void theModelsRefusalIsCountedNotThrown() {
        // the model takes driver features only between DRIVER and FEATURES_OK: FEATURES_OK without DRIVER
        r.status(1);
        r.driverFeatures(VERSION_1);
        r.status(1 | FEATURES_OK_BIT);
        assertThat(r.fault(RegisterFault.MODEL_REFUSED)).isEqualTo(1);
        assertThat(r.status() & FEATURES_OK_BIT).isZero();
    }

    @Test
    void resetIsWritingZeroAndReadingZeroBackAndEveryRegisterReturnsToItsResetValue() {
        r.select(1);
        int maxSize = r.r16(VIRTIO_PCI_COMMON_Q_SIZE);
        assertThat(maxSize).as("the model's maximum, above the size programmed below").isGreaterThan(64);
        r.select(0);
        r.negotiate(VERSION_1);
        r.w16(VIRTIO_PCI_COMMON_MSIX, 1);
        r.select(1);
        r.program(64, 0x10000, 0x20000, 0x30000);
        r.w16(VIRTIO_PCI_COMMON_Q_MSIX, 2);
        r.w16(VIRTIO_PCI_COMMON_Q_ENABLE, 1);
        r.status(0);
        assertThat(r.status()).isZero();
        assertThat(r.driverFeaturesRead()).isZero();
        assertThat(r.r16(VIRTIO_PCI_COMMON_MSIX)).isEqualTo(VIRTIO_MSI_NO_VECTOR);
        assertThat(r.r16(VIRTIO_PCI_COMMON_Q_SELECT)).isZero();
        r.select(1);
        assertThat(r.r16(VIRTIO_PCI_COMMON_Q_ENABLE)).isZero();
        assertThat(r.r16(VIRTIO_PCI_COMMON_Q_SIZE)).as("back to the maximum").isEqualTo(maxSize);
        assertThat(r.r16(VIRTIO_PCI_COMMON_Q_MSIX)).isEqualTo(VIRTIO_MSI_NO_VECTOR);
        assertThat(r.r32(VIRTIO_PCI_COMMON_Q_DESCLO)).isZero();
        assertThat(r.fault(RegisterFault.MODEL_REFUSED)).isZero();
    }
}
