package pci.vfio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The ioctl numbers and structure layouts, against the values of the kernel's uapi vfio.h. */
class VfioUapiTest {

    final Arena arena = Arena.ofAuto();

    static byte[] bytes(MemorySegment s) {
        return s.toArray(ValueLayout.JAVA_BYTE);
    }

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }

    @Test
    void theIoctlNumbersAreUnderscoreIoOfTypeSemicolonFromBase100() {
        assertThat(VfioUapi.VFIO_GET_API_VERSION).isEqualTo(0x3b64);
        assertThat(VfioUapi.VFIO_CHECK_EXTENSION).isEqualTo(0x3b65);
        assertThat(VfioUapi.VFIO_SET_IOMMU).isEqualTo(0x3b66);
        assertThat(VfioUapi.VFIO_GROUP_GET_STATUS).isEqualTo(0x3b67);
        assertThat(VfioUapi.VFIO_GROUP_SET_CONTAINER).isEqualTo(0x3b68);
        assertThat(VfioUapi.VFIO_GROUP_GET_DEVICE_FD).isEqualTo(0x3b6a);
        assertThat(VfioUapi.VFIO_DEVICE_GET_INFO).isEqualTo(0x3b6b);
        assertThat(VfioUapi.VFIO_DEVICE_GET_REGION_INFO).isEqualTo(0x3b6c);
        assertThat(VfioUapi.VFIO_DEVICE_GET_IRQ_INFO).isEqualTo(0x3b6d);
        assertThat(VfioUapi.VFIO_DEVICE_SET_IRQS).isEqualTo(0x3b6e);
        assertThat(VfioUapi.VFIO_DEVICE_RESET).isEqualTo(0x3b6f);
        assertThat(VfioUapi.VFIO_IOMMU_GET_INFO).isEqualTo(0x3b70);
        assertThat(VfioUapi.VFIO_IOMMU_MAP_DMA).isEqualTo(0x3b71);
        assertThat(VfioUapi.VFIO_IOMMU_UNMAP_DMA).isEqualTo(0x3b72);
    }

    @Test
    void aFailedIoctlIsNamedByItsRequest() {
        assertThat(VfioUapi.ioctlName(0x3b66)).isEqualTo("VFIO_SET_IOMMU");
        assertThat(VfioUapi.ioctlName(0x3b70)).isEqualTo("VFIO_IOMMU_GET_INFO");
        assertThat(VfioUapi.ioctlName(0x3b6a)).isEqualTo("VFIO_GROUP_GET_DEVICE_FD");
        assertThat(VfioUapi.ioctlName(0x5401)).isEqualTo("ioctl 0x5401");
    }

    @Test
    void setIrqsCarriesArgszFlagsIndexStartCountThenTheEventfds() {
        MemorySegment s = arena.allocate(VfioUapi.irqSetSize(2), 8);
        VfioUapi.irqSet(s, VfioUapi.VFIO_IRQ_SET_DATA_EVENTFD | VfioUapi.VFIO_IRQ_SET_ACTION_TRIGGER,
                VfioUapi.VFIO_PCI_MSIX_IRQ_INDEX, 0, 2, new int[] {17, 18});
        ByteBuffer b = le(28).putInt(28).putInt(0x24).putInt(2).putInt(0).putInt(2).putInt(17).putInt(18);
        assertThat(bytes(s)).containsExactly(b.array());
        MemorySegment off = arena.allocate(VfioUapi.irqSetSize(0), 8);
        VfioUapi.irqSet(off, VfioUapi.VFIO_IRQ_SET_DATA_NONE | VfioUapi.VFIO_IRQ_SET_ACTION_TRIGGER, 2, 0, 0, null);
        assertThat(bytes(off)).containsExactly(le(20).putInt(20).putInt(0x21).putInt(2).putInt(0).putInt(0).array());
    }

    @Test
    void dmaMapAndUnmapLayTheirFieldsOutAsType1Does() {
        MemorySegment m = arena.allocate(VfioUapi.DMA_MAP_SIZE, 8);
        VfioUapi.dmaMap(m, 0x7f00_1234_5000L, 0x4000_0000L, 0x20_0000L, 3);
        assertThat(bytes(m)).containsExactly(le(32).putInt(32).putInt(3).putLong(0x7f00_1234_5000L).putLong(0x4000_0000L)
                .putLong(0x20_0000L).array());
        MemorySegment u = arena.allocate(VfioUapi.DMA_UNMAP_SIZE, 8);
        VfioUapi.dmaUnmap(u, 0x4000_0000L, 0x20_0000L);
        assertThat(bytes(u)).containsExactly(le(24).putInt(24).putInt(0).putLong(0x4000_0000L).putLong(0x20_0000L).array());
    }

    @Test
    void regionInfoIsAskedForByIndexAndReadBackAsTheKernelFillsIt() {
        MemorySegment s = arena.allocate(VfioUapi.REGION_INFO_SIZE, 8);
        VfioUapi.regionInfo(s, VfioUapi.VFIO_PCI_CONFIG_REGION_INDEX);
        assertThat(bytes(s)).containsExactly(le(32).putInt(32).putInt(0).putInt(7).putInt(0).putLong(0).putLong(0).array());
        // what the kernel writes back for BAR 4 of a virtio function: readable, writable, mappable
        MemorySegment filled = MemorySegment.ofArray(le(32).putInt(32).putInt(7).putInt(4).putInt(0).putLong(0x4000)
                .putLong(4L << 40).array());
        VfioUapi.RegionInfo r = VfioUapi.regionInfoOf(filled);
        assertThat(r).isEqualTo(new VfioUapi.RegionInfo(7, 4, 0x4000, 4L << 40));
        assertThat(r.mappable()).isTrue();
        assertThat(VfioUapi.irqInfoOf(MemorySegment.ofArray(le(16).putInt(16).putInt(0xb).putInt(2).putInt(6).array())))
                .isEqualTo(new VfioUapi.IrqInfo(0xb, 2, 6));
    }

    @Test
    void theIovaRangesComeFromTheCapabilityChainAndAHostileChainEndsTheWalk() {
        // info (24 bytes), then a capability at 24: header {id 1, version 1, next 0}, nr 2, reserved, two ranges
        ByteBuffer b = le(24 + 16 + 32).putInt(72).putInt(VfioUapi.VFIO_IOMMU_INFO_CAPS | 1).putLong(0x1000).putInt(24).putInt(0)
                .putShort((short) 1).putShort((short) 1).putInt(0).putInt(2).putInt(0)
                .putLong(0).putLong(0xfedf_ffffL).putLong(0xfef0_0000L).putLong((1L << 39) - 1);
        assertThat(VfioUapi.iovaRanges(MemorySegment.ofArray(b.array()))).containsExactly(
                new VfioUapi.IovaRange(0, 0xfedf_ffffL), new VfioUapi.IovaRange(0xfef0_0000L, (1L << 39) - 1));
        // a capability pointing at itself, and one beyond the buffer: no loop, no read outside
        ByteBuffer loop = le(40).putInt(40).putInt(VfioUapi.VFIO_IOMMU_INFO_CAPS).putLong(0).putInt(24).putInt(0)
                .putShort((short) 7).putShort((short) 1).putInt(24).putLong(0);
        assertThat(VfioUapi.iovaRanges(MemorySegment.ofArray(loop.array()))).isEmpty();
        ByteBuffer wild = le(24).putInt(24).putInt(VfioUapi.VFIO_IOMMU_INFO_CAPS).putLong(0).putInt(0x7fff_fff0).putInt(0);
        assertThat(VfioUapi.iovaRanges(MemorySegment.ofArray(wild.array()))).isEmpty();
        // a range count larger than the buffer holds: only whole ranges inside it
        ByteBuffer big = le(24 + 16 + 16).putInt(56).putInt(VfioUapi.VFIO_IOMMU_INFO_CAPS).putLong(0).putInt(24).putInt(0)
                .putShort((short) 1).putShort((short) 1).putInt(0).putInt(1000).putInt(0).putLong(0).putLong(0xffff);
        assertThat(VfioUapi.iovaRanges(MemorySegment.ofArray(big.array()))).containsExactly(new VfioUapi.IovaRange(0, 0xffff));
    }
}
