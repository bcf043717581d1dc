package pci.emul.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pci.bus.PciCapabilities;
import pci.bus.PciCapability;
import pci.bus.PciRegs;
import virtio.spec.VirtioPci;

/** Configuration space and BAR decoding of an emulated function, as a PCI driver sees them. */
class ConfigSpaceTest {

    final EmulatedFunctions functions = new EmulatedFunctions();
    Regs r;

    @BeforeEach
    void function() throws Exception {
        r = new Regs(functions.function("0000:00:04.0", 2, "loopback"));
    }

    @AfterEach
    void close() {
        functions.close();
    }

    @Test
    void theHeaderIsQemusModernVirtioNet() {
        assertThat(r.config.read16(PciRegs.PCI_VENDOR_ID)).isEqualTo(0x1af4);
        assertThat(r.config.read16(PciRegs.PCI_DEVICE_ID)).isEqualTo(0x1041);
        assertThat(r.config.read8(PciRegs.PCI_REVISION_ID)).isEqualTo(1);
        assertThat(r.config.read32(PciRegs.PCI_REVISION_ID) >>> 8).isEqualTo(0x020000);
        assertThat(r.config.read16(PciRegs.PCI_SUBSYSTEM_ID)).isEqualTo(0x1100);
        assertThat(r.config.read8(PciRegs.PCI_INTERRUPT_PIN)).as("no INTx").isZero();
        assertThat(r.config.read16(PciRegs.PCI_COMMAND)).as("firmware leaves the function off").isZero();
    }

    @Test
    void theCapabilityListHoldsTheVirtioStructuresThenMsix() {
        PciCapabilities caps = PciCapabilities.walk(r.config);
        assertThat(caps.problem()).isNull();
        assertThat(caps.capabilities()).extracting(PciCapability::offset).containsExactly(0x40, 0x50, 0x60, 0x70, 0x84, 0x98);
        int[] types = caps.all(PciRegs.PCI_CAP_ID_VNDR).stream()
                .mapToInt(c -> r.config.read8(c.offset() + VirtioPci.VIRTIO_PCI_CAP_CFG_TYPE)).toArray();
        assertThat(types).containsExactly(VirtioPci.VIRTIO_PCI_CAP_COMMON_CFG, VirtioPci.VIRTIO_PCI_CAP_ISR_CFG,
                VirtioPci.VIRTIO_PCI_CAP_DEVICE_CFG, VirtioPci.VIRTIO_PCI_CAP_NOTIFY_CFG, VirtioPci.VIRTIO_PCI_CAP_PCI_CFG);
        assertThat(r.config.read32(0x70 + VirtioPci.VIRTIO_PCI_NOTIFY_CAP_MULT)).isEqualTo(4);
        assertThat(r.config.read32(0x70 + VirtioPci.VIRTIO_PCI_CAP_LENGTH)).as("one multiplier per queue").isEqualTo(20);
        assertThat(r.config.read32(0x60 + VirtioPci.VIRTIO_PCI_CAP_LENGTH)).as("the net config through mtu").isEqualTo(12);
        assertThat(r.config.read16(0x98 + PciRegs.PCI_MSIX_FLAGS) & PciRegs.PCI_MSIX_FLAGS_QSIZE).isEqualTo(5);
        assertThat(r.config.read32(0x98 + PciRegs.PCI_MSIX_TABLE)).isEqualTo(1);
        assertThat(r.config.read32(0x98 + PciRegs.PCI_MSIX_PBA)).isEqualTo(0x801);
    }

    @Test
    void barSizingReadsBackTheSizeMaskAndTheFlags() {
        int bar1 = PciRegs.barOffset(1);
        int bar4 = PciRegs.barOffset(4);
        int old1 = r.config.read32(bar1);
        r.config.write32(bar1, 0xffff_ffff);
        assertThat(r.config.read32(bar1)).isEqualTo(0xffff_f000);
        r.config.write32(bar1, old1);
        r.config.write32(bar4, 0xffff_ffff);
        r.config.write32(bar4 + 4, 0xffff_ffff);
        assertThat(r.config.read32(bar4)).as("16K, 64-bit, prefetchable").isEqualTo(0xffff_c00c);
        assertThat(r.config.read32(bar4 + 4)).isEqualTo(0xffff_ffff);
        r.config.write32(bar4, 0xfd00_4000);
        r.config.write32(bar4 + 4, 0x1);
        assertThat(r.f.bar(4).orElseThrow().address()).isEqualTo(0x1_fd00_4000L);
        assertThat(r.config.read32(PciRegs.barOffset(0))).as("BAR 0 is not implemented").isZero();
        r.config.write32(PciRegs.barOffset(0), 0xffff_ffff);
        assertThat(r.config.read32(PciRegs.barOffset(0))).isZero();
    }

    @Test
    void readOnlyHeaderBytesIgnoreWritesAndUnalignedAccessesReadAllOnes() {
        r.config.write16(PciRegs.PCI_VENDOR_ID, 0x8086);
        r.config.write8(PciRegs.PCI_CAPABILITY_LIST, 0);
        assertThat(r.config.read16(PciRegs.PCI_VENDOR_ID)).isEqualTo(0x1af4);
        assertThat(r.config.read8(PciRegs.PCI_CAPABILITY_LIST)).isEqualTo(0x40);
        assertThat(r.config.read32(2)).isEqualTo(0xffff_ffff);
        r.config.write16(PciRegs.PCI_COMMAND + 1, 0xffff);
        assertThat(r.fault(RegisterFault.CONFIG_UNALIGNED)).isEqualTo(2);
        assertThat(r.config.read16(PciRegs.PCI_COMMAND)).isZero();
        r.config.write16(PciRegs.PCI_COMMAND, 0xffff);
        assertThat(r.config.read16(PciRegs.PCI_COMMAND)).as("I/O, Memory, Bus Master, INTx Disable").isEqualTo(0x0407);
    }

    @Test
    void theBarsAnswerOnlyWhileMemorySpaceIsEnabled() {
        int numq = VirtioBar.COMMON + VirtioPci.VIRTIO_PCI_COMMON_NUMQ;
        assertThat(r.bar4.read16(numq)).isEqualTo(0xffff);
        r.bar4.write8(VirtioBar.COMMON + VirtioPci.VIRTIO_PCI_COMMON_STATUS, 1);
        assertThat(r.fault(RegisterFault.BAR_MEMORY_DISABLED)).isEqualTo(2);
        r.enable();
        assertThat(r.bar4.read16(numq)).isEqualTo(5);
        assertThat(r.status()).as("the write before was dropped").isZero();
    }

    @Test
    void thePciConfigAccessWindowReachesTheVirtioBarAndRefusesWhatItCannotDo() {
        int cap = EmulatedFunction.CAP_PCI_CFG;
        r.config.write8(cap + VirtioPci.VIRTIO_PCI_CAP_BAR, 4);
        r.config.write32(cap + VirtioPci.VIRTIO_PCI_CAP_OFFSET, VirtioPci.VIRTIO_PCI_COMMON_NUMQ);
        r.config.write32(cap + VirtioPci.VIRTIO_PCI_CAP_LENGTH, 2);
        // through configuration space alone: Memory Space is still off
        assertThat(r.config.read32(cap + VirtioPci.VIRTIO_PCI_CFG_CAP_DATA)).isEqualTo(5);
        r.config.write32(cap + VirtioPci.VIRTIO_PCI_CAP_OFFSET, VirtioPci.VIRTIO_PCI_COMMON_STATUS);
        r.config.write32(cap + VirtioPci.VIRTIO_PCI_CAP_LENGTH, 1);
        r.config.write32(cap + VirtioPci.VIRTIO_PCI_CFG_CAP_DATA, 1);
        r.enable();
        assertThat(r.status()).isEqualTo(1);
        r.config.write32(cap + VirtioPci.VIRTIO_PCI_CAP_LENGTH, 3);
        assertThat(r.config.read32(cap + VirtioPci.VIRTIO_PCI_CFG_CAP_DATA)).isZero();
        r.config.write8(cap + VirtioPci.VIRTIO_PCI_CAP_BAR, 2);
        r.config.write32(cap + VirtioPci.VIRTIO_PCI_CAP_LENGTH, 4);
        r.config.write32(cap + VirtioPci.VIRTIO_PCI_CFG_CAP_DATA, 1);
        assertThat(r.fault(RegisterFault.PCI_CFG_WINDOW_REFUSED)).isEqualTo(2);
    }
}
