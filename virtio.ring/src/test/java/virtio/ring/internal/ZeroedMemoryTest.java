package virtio.ring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ZeroedMemoryTest {

    /** Resident bytes of this process (VmRSS). */
    private static long resident() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).strip().split("\\s+")[0]) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    @Test
    void memoryIsZeroAlignedAndTakesNoPageUntilTouched() throws IOException {
        long size = 256L << 20;
        try (Arena arena = Arena.ofConfined()) {
            long before = resident();
            MemorySegment s = ZeroedMemory.allocate(size, 4096, arena);
            long after = resident();
            // Arena.allocate would have stored to all 256 MiB, making them resident
            assertThat(after - before).isLessThan(32L << 20);
            assertThat(s.byteSize()).isEqualTo(size);
            assertThat(s.address() % 4096).isZero();
            for (long i = 0; i < size; i += 4096 * 97) {
                assertThat(s.get(ValueLayout.JAVA_BYTE, i)).isZero();
            }
            s.set(ValueLayout.JAVA_LONG, size - 8, -1L);
            assertThat(s.get(ValueLayout.JAVA_LONG, size - 8)).isEqualTo(-1L);
        }
    }

    @Test
    void anAlignmentAboveAPageIsHonouredAndTheWholeSizeIsUsable() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = ZeroedMemory.allocate(5000, 2L << 20, arena);
            assertThat(s.address() % (2L << 20)).isZero();
            s.fill((byte) 1);
            assertThat(s.get(ValueLayout.JAVA_BYTE, 4999)).isEqualTo((byte) 1);
        }
    }

    @Test
    void closingTheArenaUnmapsAndTheSegmentRefusesAccess() {
        Arena arena = Arena.ofShared();
        MemorySegment s = ZeroedMemory.allocate(1 << 20, 4096, arena);
        s.set(ValueLayout.JAVA_INT, 0, 42);
        arena.close();
        assertThatThrownBy(() -> s.get(ValueLayout.JAVA_INT, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSizeOrAlignmentThatIsNoneIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            assertThatThrownBy(() -> ZeroedMemory.allocate(0, 4096, arena)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ZeroedMemory.allocate(4096, 3000, arena)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
