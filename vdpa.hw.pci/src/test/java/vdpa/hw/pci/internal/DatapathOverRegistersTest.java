package vdpa.hw.pci.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pci.bus.PciDevice;
import pci.bus.PciRegs;
import pci.emul.internal.EmulatedFunctions;
import vdpa.bus.VdpaDevice;
import vdpa.sim.internal.TestDriver;

/**
 * Frames across a cable between a simulated vDPA NIC and an emulated virtio-pci function driven
 * through this driver's register accesses: queues set up by registers, kicks through the notify
 * region, interrupts through MSI-X, ring memory through the function's DMA window. The driver must
 * make no access the function counts as bad.
 */
class DatapathOverRegistersTest {

    static final long MAC_SIM = 0x02_00_00_00_00_0aL;
    static final long MAC_PCI = 0x52_54_00_12_34_56L;

    final EmulatedFunctions functions = new EmulatedFunctions();

    @AfterEach
    void close() {
        functions.close();
    }

    void framesCrossBothWays(long features) throws Exception {
        PciDevice f = functions.function("0000:00:04.0", "52:54:00:12:34:56", 2, "cable:c");
        VpVdpaDevice vp = new VpVdpaDevice("vp0", Functions.modern(f), -1L);
        VdpaDevice sim = functions.sim().device("vdpa0", "02:00:00:00:00:0a", 2, "cable:c");
        try (TestDriver onPci = new TestDriver(vp, features, 256); TestDriver onSim = new TestDriver(sim, features, 256)) {
            assertThat(f.msix().orElseThrow().enabledVectors()).as("one per queue with a callback, one for config").isEqualTo(6);
            onPci.postRx(0, 64, 2048);
            onSim.postRx(0, 64, 2048);
            for (int i = 0; i < 40; i++) {
                onSim.send(0, TestDriver.frame(MAC_PCI, MAC_SIM, 60 + i, i));
                onPci.send(0, TestDriver.frame(MAC_SIM, MAC_PCI, 1514 - i, i));
            }
            List<TestDriver.Frame> atPci = onPci.receive(0, 40);
            List<TestDriver.Frame> atSim = onSim.receive(0, 40);
            for (int i = 0; i < 40; i++) {
                assertThat(atPci.get(i).bytes()).isEqualTo(TestDriver.frame(MAC_PCI, MAC_SIM, 60 + i, i));
                assertThat(atSim.get(i).bytes()).isEqualTo(TestDriver.frame(MAC_SIM, MAC_PCI, 1514 - i, i));
            }
            onPci.awaitTx(0, 40);
            assertThat(onPci.interrupts[0].get()).as("RX interrupts through MSI-X").isPositive();
            Map<String, Long> counters = f.counters();
            assertThat(counters).containsEntry("rx_frames", 40L).containsEntry("tx_frames", 40L);
        }
        assertThat(EmulatedFunctions.faults(f).values()).as("no access of the driver was refused: " + EmulatedFunctions.faults(f))
                .allMatch(v -> v == 0);
        assertThat(f.msix().orElseThrow().enabledVectors()).as("vectors freed at reset").isZero();
        assertThat(f.dma().mappings()).as("the test driver unmapped its pool").isEmpty();
    }

    @Test
    void splitRings() throws Exception {
        framesCrossBothWays(TestDriver.BASE);
    }

    @Test
    void packedRingsWithMergeableBuffers() throws Exception {
        framesCrossBothWays(TestDriver.BASE | TestDriver.PACKED | TestDriver.MRG);
    }

    @Test
    void aFunctionWhoseBusMasterIsTurnedOffUnderTrafficStopsReachingMemoryAndAsksForAReset() throws Exception {
        PciDevice f = functions.function("0000:00:04.0", "52:54:00:12:34:56", 1, "loopback");
        VpVdpaDevice vp = new VpVdpaDevice("vp0", Functions.modern(f), -1L);
        try (TestDriver d = new TestDriver(vp, TestDriver.BASE, 64)) {
            d.postRx(0, 8, 2048);
            d.send(0, TestDriver.frame(MAC_PCI, MAC_PCI, 100, 1));
            assertThat(d.receive(0, 1)).hasSize(1);
            f.config().write16(PciRegs.PCI_COMMAND, PciRegs.PCI_COMMAND_MEMORY);
            assertThat(f.dma().mappings()).as("the window keeps the mappings").hasSize(1);
            d.trySend(0, TestDriver.frame(MAC_PCI, MAC_PCI, 100, 2));
            TestDriver.await(() -> (vp.getStatus() & 0x40) != 0, "DEVICE_NEEDS_RESET once its rings are out of reach");
            f.config().write16(PciRegs.PCI_COMMAND, PciRegs.PCI_COMMAND_MEMORY | PciRegs.PCI_COMMAND_MASTER);
        }
    }
}
