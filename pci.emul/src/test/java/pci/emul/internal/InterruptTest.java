package pci.emul.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static virtio.spec.VirtioPci.*;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pci.bus.PciInterruptHandler;
import pci.bus.PciMsix;
import pci.bus.PciRegs;
import virtio.spec.DeviceStatus;
import virtio.spec.VirtioFeatures;

/**
 * Interrupts of an emulated function: the model's config change (its link coming up when the
 * cable's other end is plugged in) reaches the driver as the config vector's MSI-X message, or as
 * ISR status without MSI-X; masked vectors pend; a table written by hand loses its messages; no
 * message goes without Bus Master.
 */
class InterruptTest {

    static final long VERSION_1 = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_VERSION_1);

    final EmulatedFunctions functions = new EmulatedFunctions();
    final List<Integer> fired = new CopyOnWriteArrayList<>();
    Regs r;
    PciMsix msix;
    int peers;

    @BeforeEach
    void liveFunction() throws Exception {
        r = new Regs(functions.function("0000:00:04.0", 1, "cable:c")).enable();
        msix = r.f.msix().orElseThrow();
        r.negotiate(VERSION_1);
        r.status(11 | DeviceStatus.DRIVER_OK.value());
    }

    @AfterEach
    void close() {
        functions.close();
    }

    /** Plugs or unplugs the cable's other end: the model's link status changes, a config change. */
    void toggleLink() throws Exception {
        if (peers == 0) {
            functions.sim().device("peer", "02:00:00:00:00:01", 1, "cable:c");
            peers = 1;
        } else {
            functions.sim().delete("peer");
            peers = 0;
        }
    }

    void enableMsix(int vectors) {
        PciInterruptHandler h = fired::add;
        msix.enable(java.util.Collections.nCopies(vectors, h));
    }

    @Test
    void aConfigChangeFiresTheConfigVector() throws Exception {
        enableMsix(3);
        r.w16(VIRTIO_PCI_COMMON_MSIX, 2);
        toggleLink();
        assertThat(fired).containsExactly(2);
        assertThat(r.bar4.read8(VirtioBar.ISR)).as("the config bit is set with MSI-X too").isEqualTo(VIRTIO_PCI_ISR_CONFIG);
        assertThat(r.bar4.read8(VirtioBar.ISR)).as("reading ISR clears it").isZero();
        assertThat(r.config.read16(EmulatedFunction.CAP_MSIX + PciRegs.PCI_MSIX_FLAGS) & PciRegs.PCI_MSIX_FLAGS_ENABLE)
                .isEqualTo(PciRegs.PCI_MSIX_FLAGS_ENABLE);
    }

    @Test
    void withoutMsixTheDriverLearnsOfItThroughIsrStatus() throws Exception {
        r.w16(VIRTIO_PCI_COMMON_MSIX, 0);
        toggleLink();
        assertThat(fired).isEmpty();
        assertThat(r.bar4.read8(VirtioBar.ISR)).isEqualTo(VIRTIO_PCI_ISR_CONFIG);
    }

    @Test
    void noVectorMeansNoMessage() throws Exception {
        enableMsix(2);
        toggleLink();
        assertThat(fired).isEmpty();
    }

    @Test
    void aMaskedVectorPendsUntilUnmaskedAndTheFunctionMaskHoldsThemAll() throws Exception {
        enableMsix(2);
        r.w16(VIRTIO_PCI_COMMON_MSIX, 1);
        msix.mask(1, true);
        toggleLink();
        assertThat(fired).isEmpty();
        assertThat(r.bar1.read64(MsixTable.PBA_OFFSET)).as("pending bit of vector 1").isEqualTo(2);
        msix.mask(1, false);
        assertThat(fired).containsExactly(1);
        assertThat(r.bar1.read64(MsixTable.PBA_OFFSET)).isZero();

        int flags = r.config.read16(EmulatedFunction.CAP_MSIX + PciRegs.PCI_MSIX_FLAGS);
        r.config.write16(EmulatedFunction.CAP_MSIX + PciRegs.PCI_MSIX_FLAGS, flags | PciRegs.PCI_MSIX_FLAGS_MASKALL);
        toggleLink();
        assertThat(fired).containsExactly(1);
        r.config.write16(EmulatedFunction.CAP_MSIX + PciRegs.PCI_MSIX_FLAGS, flags);
        assertThat(fired).containsExactly(1, 1);
    }

    @Test
    void aMessageNobodySetUpIsLostAndCounted() throws Exception {
        enableMsix(1);
        r.w16(VIRTIO_PCI_COMMON_MSIX, 0);
        r.bar1.write32(PciRegs.PCI_MSIX_ENTRY_DATA, 0x1234);
        toggleLink();
        assertThat(fired).isEmpty();
        assertThat(r.fault(RegisterFault.MSIX_LOST_MESSAGE)).isEqualTo(1);
    }

    @Test
    void withoutBusMasterNoMessageIsSent() throws Exception {
        enableMsix(1);
        r.w16(VIRTIO_PCI_COMMON_MSIX, 0);
        r.config.write16(PciRegs.PCI_COMMAND, PciRegs.PCI_COMMAND_MEMORY);
        toggleLink();
        assertThat(fired).isEmpty();
        assertThat(r.fault(RegisterFault.MSIX_BLOCKED_NO_BUS_MASTER)).isEqualTo(1);
    }

    @Test
    void disableStopsDeliveryAndTheTableRefusesBadAccesses() throws Exception {
        enableMsix(1);
        assertThatThrownBy(() -> enableMsix(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> msix.enable(List.of())).isInstanceOf(IllegalArgumentException.class);
        r.w16(VIRTIO_PCI_COMMON_MSIX, 0);
        msix.disable();
        assertThat(msix.enabledVectors()).isZero();
        toggleLink();
        assertThat(fired).isEmpty();
        r.bar1.write16(0, 1);
        r.bar1.write32(MsixTable.PBA_OFFSET, 1);
        r.bar1.read32(2);
        assertThat(r.fault(RegisterFault.MSIX_TABLE_BAD_ACCESS)).isEqualTo(3);
    }

    @Test
    void enablingWithMemorySpaceOffFailsAndLeavesMsixOff() {
        r.config.write16(PciRegs.PCI_COMMAND, PciRegs.PCI_COMMAND_MASTER);
        assertThatThrownBy(() -> enableMsix(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("Memory Space");
        assertThat(r.config.read16(EmulatedFunction.CAP_MSIX + PciRegs.PCI_MSIX_FLAGS) & PciRegs.PCI_MSIX_FLAGS_ENABLE).isZero();
        assertThat(msix.enabledVectors()).isZero();
    }
}
