package vhost.uapi.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import linux.ffm.Fd;
import linux.ffm.Files;
import linux.ffm.Mapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vhost.uapi.internal.proto.Request;
import vhost.uapi.internal.proto.Wire;

/**
 * ADD_MEM_REG and REM_MEM_REG of one region while rings run in another, on a device that takes
 * translations one at a time (vp_vdpa's dma_map): only that region is mapped or unmapped, the
 * running rings never lose their memory nor stop.
 */
class MemorySlotsWhileRunningTest {

    static final long SECOND_GPA = 0x8000_0000L;
    static final long SECOND_SIZE = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void aRunningRingKeepsItsMappingAcrossAddAndRemoveOfAnotherRegion() throws Exception {
        DmaLog[] log = new DmaLog[1];
        try (Rig rig = Rig.overPci(dir, 1, d -> log[0] = new DmaLog(d)); TestFrontend fe = rig.frontend();
                Fd memfd = Files.memfdCreate("second", Files.MFD_CLOEXEC)) {
            fe.negotiate(Rig.VERSION_1, TestFrontend.ALL_PROTOCOL);
            fe.ring(0, 256, true);
            TestFrontend.Ring tx = fe.ring(1, 256, true);
            fe.driverOk();
            rig.toPeer(fe, tx, 20, 0);

            Files.truncate(memfd, SECOND_SIZE);
            try (Mapping second = Mapping.map(memfd, SECOND_SIZE, Mapping.PROT_READ | Mapping.PROT_WRITE, Mapping.MAP_SHARED, 0)) {
                MemorySegment reg = fe.arena.allocate(8 + Wire.REGION_SIZE, 8);
                reg.set(ValueLayout.JAVA_LONG, 8, SECOND_GPA);
                reg.set(ValueLayout.JAVA_LONG, 16, SECOND_SIZE);
                reg.set(ValueLayout.JAVA_LONG, 24, second.address());
                log[0].ops.clear();
                assertThat(fe.call(Request.ADD_MEM_REG, reg, List.of(memfd))).isZero();
                assertThat(log[0].ops).as("only the new region is mapped").containsExactly(new DmaLog.Op(true, SECOND_GPA, SECOND_SIZE));
                assertThat(rig.info().session().rings()).allMatch(r -> r.ready());
                rig.toPeer(fe, tx, 20, 20);

                log[0].ops.clear();
                assertThat(fe.call(Request.REM_MEM_REG, reg, List.of())).isZero();
                assertThat(log[0].ops).as("only that region is unmapped").containsExactly(new DmaLog.Op(false, SECOND_GPA, SECOND_SIZE));
                assertThat(rig.info().session().rings()).as("the rings run on").allMatch(r -> r.ready());
                assertThat(rig.info().session().regions()).hasSize(1);
                rig.toPeer(fe, tx, 20, 40);
            }
        }
    }
}
