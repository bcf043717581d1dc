package bench.peer;

import static org.assertj.core.api.Assertions.assertThat;

import bench.peer.VhostOptions.Direction;
import bench.peer.VhostOptions.Ring;
import bench.peer.VhostSideBySide.Row;
import bench.peer.VhostSideBySide.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

class VhostSideBySideTest {

    @Test
    void theCpuTimeIsUtimePlusStimeInHundredthsOfASecondWhateverTheProcessIsCalled() {
        String stat = "4242 (java (a) b) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 75 0 0 20 0 40 0 123 456 789";
        assertThat(VhostSideBySide.cpuNanos(stat)).isEqualTo((250 + 75) * 10_000_000L);
        assertThat(VhostSideBySide.cpuNanos(ProcessHandle.current().pid())).isPositive();
    }

    @Test
    void aRowPairsEachRepeatOfBusbarWithTheSameRepeatOfDpdk() {
        List<Sample> s = List.of(
                sample("dpdk", 1, 10e6, 100), sample("busbar", 1, 5e6, 200),
                sample("busbar", 2, 9e6, 111), sample("dpdk", 2, 9e6, 111),
                sample("dpdk", 3, 12e6, 83), sample("busbar", 3, 3e6, 333),
                // another combination: not in the row
                new Sample("busbar", Direction.RX, Ring.SPLIT, 64, 1, 1e9, new double[0], 1, 1));
        Row r = Row.of(s, Direction.TX, Ring.PACKED, 64);
        assertThat(r.dpdk()).isEqualTo(new Spread(9e6, 10e6, 12e6, 3));
        assertThat(r.busbar()).isEqualTo(new Spread(3e6, 5e6, 9e6, 3));
        assertThat(r.ratio()).isEqualTo(new Spread(0.25, 0.5, 1.0, 3));
        assertThat(r.busbarCpu().median()).isEqualTo(200);
        String table = VhostSideBySide.table(List.of(r));
        assertThat(table.lines().toList()).hasSize(2);
        assertThat(table.lines().toList().get(1)).startsWith("tx  packed    64  10.00 [9.00 .. 12.00]").contains("0.50 [0.25 .. 1.00]");
    }

    @Test
    void aSampleLineCarriesItsSeries() {
        Sample s = new Sample("busbar", Direction.RX, Ring.SPLIT, 1518, 2, 1.5e6, new double[] {1.4e6, 1.6e6}, 3_000_000, 612.34);
        assertThat(s.line()).isEqualTo("result VhostSideBySide.rx backend=busbar ring=split size=1518 repeat=2 unit=ops/s"
                + " frames=3000000 cpu_ns_per_frame=612.3 rate=1500000 series=1400000,1600000");
    }

    private static Sample sample(String backend, int repeat, double rate, double cpu) {
        return new Sample(backend, Direction.TX, Ring.PACKED, 64, repeat, rate, new double[] {rate}, (long) rate, cpu);
    }
}
