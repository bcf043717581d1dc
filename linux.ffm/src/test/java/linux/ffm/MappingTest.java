package linux.ffm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MappingTest {

    @Test
    void twoMappingsOfOneMemfdShareTheirPages() throws Exception {
        try (Fd fd = Files.memfdCreate("guest", 0)) {
            Files.truncate(fd, 2 * 4096);
            try (Mapping a = Mapping.map(fd, 2 * 4096, Mapping.PROT_READ | Mapping.PROT_WRITE, Mapping.MAP_SHARED, 0);
                    Mapping b = Mapping.map(fd, 4096, Mapping.PROT_READ | Mapping.PROT_WRITE, Mapping.MAP_SHARED, 4096)) {
                assertThat(a.segment().byteSize()).isEqualTo(8192);
                assertThat(b.segment().byteSize()).isEqualTo(4096);
                assertThat(a.address()).isNotEqualTo(b.address());
                a.segment().set(ValueLayout.JAVA_LONG, 4096 + 8, 0x1122334455667788L);
                assertThat(b.segment().get(ValueLayout.JAVA_LONG, 8)).isEqualTo(0x1122334455667788L);
                b.segment().set(ValueLayout.JAVA_INT, 0, 42);
                assertThat(a.segment().get(ValueLayout.JAVA_INT, 4096)).isEqualTo(42);
            }
        }
    }

    @Test
    void unmappedMemoryIsRefusedNotTouched() throws Exception {
        Mapping m;
        try (Fd fd = Files.memfdCreate("gone", 0)) {
            Files.truncate(fd, 4096);
            m = Mapping.map(fd, 4096, Mapping.PROT_READ | Mapping.PROT_WRITE, Mapping.MAP_SHARED, 0);
        }
        // the mapping outlives the fd, as mmap's does
        m.segment().set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
        String line = "%x-".formatted(m.address());
        assertThat(java.nio.file.Files.readAllLines(Path.of("/proc/self/maps"))).anyMatch(l -> l.startsWith(line));
        m.close();
        m.close();
        assertThat(m.isMapped()).isFalse();
        assertThatThrownBy(() -> m.segment().get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
        assertThat(java.nio.file.Files.readAllLines(Path.of("/proc/self/maps"))).noneMatch(l -> l.startsWith(line));
    }

    @Test
    void aReadOnlyMappingHasAReadOnlySegment() throws Exception {
        try (Fd fd = Files.memfdCreate("ro", 0)) {
            Files.truncate(fd, 4096);
            try (Mapping m = Mapping.map(fd, 4096, Mapping.PROT_READ, Mapping.MAP_SHARED, 0)) {
                assertThat(m.segment().isReadOnly()).isTrue();
            }
        }
    }

    @Test
    void mmapErrorsCarryErrno() throws Exception {
        try (Fd fd = Files.memfdCreate("bad", 0)) {
            assertThatThrownBy(() -> Mapping.map(fd, 0, Mapping.PROT_READ, Mapping.MAP_SHARED, 0))
                    .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errnoName()).isEqualTo("EINVAL"));
            assertThatThrownBy(() -> Mapping.map(fd, 4096, Mapping.PROT_READ, Mapping.MAP_SHARED, 123))
                    .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errnoName()).isEqualTo("EINVAL"));
        }
    }
}
