package virtio.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import virtio.spec.VirtioFeatures;

class DmaPoolTest {

    @Test
    void buffersAreAlignedDisjointAndZeroed() {
        try (DmaPool pool = DmaPool.create(0x10000, 0x100000)) {
            DmaBuffer a = pool.allocate(10, 16);
            a.segment().fill((byte) 7);
            DmaBuffer b = pool.allocate(100, 64);
            assertThat(a.iova() % 16).isZero();
            assertThat(b.iova() % 64).isZero();
            assertThat(b.iova()).isGreaterThanOrEqualTo(a.iova() + 10);
            pool.free(a);
            DmaBuffer c = pool.allocate(10, 16);
            assertThat(c.segment().get(ValueLayout.JAVA_BYTE, 0)).isZero();
            assertThat(pool.iovaOf(c.segment())).isEqualTo(c.iova());
        }
    }

    @Test
    void aBufferOverOldAndNeverUsedMemoryIsZeroThroughoutAndAClosedPoolRefusesAccess() {
        DmaPool pool = DmaPool.create(3 << 20, 0x100000);
        assertThat(pool.segment().address() % 4096).isZero();
        assertThat(pool.segment().byteSize()).isEqualTo(3 << 20);
        DmaBuffer a = pool.allocate(0x3000, 4096);
        a.segment().fill((byte) 7);
        pool.free(a);
        // starts inside what a dirtied and runs past everything handed out so far
        DmaBuffer b = pool.allocate(0x5000, 16);
        assertThat(b.iova()).isEqualTo(a.iova());
        for (long i = 0; i < b.size(); i++) {
            assertThat(b.segment().get(ValueLayout.JAVA_BYTE, i)).as("byte %d", i).isZero();
        }
        assertThat(pool.segment().get(ValueLayout.JAVA_BYTE, pool.size() - 1)).isZero();
        pool.close();
        assertThatThrownBy(() -> b.segment().get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void freedBuffersCoalesceSoTheWholePoolCanBeTakenAgain() {
        try (DmaPool pool = DmaPool.create(0x1000, 0)) {
            List<DmaBuffer> all = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                all.add(pool.allocate(0x100, 0x100));
            }
            assertThatThrownBy(() -> pool.allocate(1, 1)).isInstanceOf(IllegalStateException.class);
            for (int i = 0; i < 16; i += 2) {
                pool.free(all.get(i));
            }
            for (int i = 1; i < 16; i += 2) {
                pool.free(all.get(i));
            }
            assertThat(pool.allocate(0x1000, 0x1000).size()).isEqualTo(0x1000);
        }
    }

    @Test
    void doubleFreeIsRefused() {
        try (DmaPool pool = DmaPool.create(0x1000, 0)) {
            DmaBuffer a = pool.allocate(16, 16);
            pool.free(a);
            assertThatThrownBy(() -> pool.free(a)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void fileBackedPoolIsSharedWithAnotherMappingOfTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ring.mem");
        try (DmaPool driverSide = DmaPool.map(file, 0x10000, 0x1000_0000L);
                DmaPool otherProcess = DmaPool.map(file, 0x10000, 0x1000_0000L)) {
            DmaBuffer b = driverSide.allocate(8, 8);
            b.segment().set(ValueLayout.JAVA_LONG, 0, 0x1234_5678L);
            long off = b.iova() - driverSide.iovaBase();
            assertThat(otherProcess.segment().get(ValueLayout.JAVA_LONG, off)).isEqualTo(0x1234_5678L);
        }
    }

    @Test
    void deviceServesARingInAnotherMappingOfTheDriversMemory(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("shared.mem");
        long iova = 0x2000_0000L;
        try (DmaPool driverPool = DmaPool.map(file, 0x40000, iova);
                DmaPool devicePool = DmaPool.map(file, 0x40000, iova)) {
            // the device knows the memory only through its own mapping, as a vhost-user backend would
            AddressSpace space = new AddressSpace();
            devicePool.mapInto(space, AddressSpace.READ_WRITE);
            DriverQueue driver = DriverQueue.create(driverPool, 16, Rig.bits());
            DeviceQueue device = DeviceQueue.open(space, 16, Rig.bits(), driver.descAddress(),
                    driver.driverAddress(), driver.deviceAddress());
            DmaBuffer out = driverPool.allocate(4, 8);
            out.segment().set(ValueLayout.JAVA_INT, 0, 99);
            DmaBuffer in = driverPool.allocate(4, 8);
            driver.add(new BufferChain(2).readable(out).writable(in), "t");
            DescriptorChain c = device.pop();
            int v = c.readable(0).get(ValueLayout.JAVA_INT, 0);
            c.writable(0).set(ValueLayout.JAVA_INT, 0, v + 1);
            device.returnUsed(c, 4);
            assertThat(driver.pollUsed()).isEqualTo("t");
            assertThat(in.segment().get(ValueLayout.JAVA_INT, 0)).isEqualTo(100);
        }
    }

    @Test
    void closingAQueueReturnsItsRingMemoryToThePool() {
        for (long features : new long[] {Rig.bits(VirtioFeatures.VIRTIO_F_INDIRECT_DESC),
                Rig.bits(VirtioFeatures.VIRTIO_F_RING_PACKED, VirtioFeatures.VIRTIO_F_INDIRECT_DESC)}) {
            try (DmaPool pool = DmaPool.create(0x10000, 0)) {
                DriverQueue q = DriverQueue.create(pool, 64, features);
                q.close();
                assertThat(pool.allocate(0x10000, 4096).size()).isEqualTo(0x10000);
            }
        }
    }
}
