package interop.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PortStatsTest {

    /** As dpdk-testpmd 22.11 printed it for a virtio-user port after txonly, prompt and all. */
    private static final List<String> BLOCK = List.of(
            "  ######################## NIC statistics for port 0  ########################",
            "  RX-packets: 12         RX-missed: 3          RX-bytes:  768",
            "  RX-errors: 1",
            "  RX-nombuf:  2         ",
            "  TX-packets: 45007392   TX-errors: 0          TX-bytes:  2880473088",
            "",
            "  Throughput (since last show)",
            "  Rx-pps:            7          Rx-bps:            0",
            "  Tx-pps:      6466638          Tx-bps:   3310919048",
            "  ############################################################################");

    @Test
    void parsesEveryCounterOfTheBlock() {
        assertThat(PortStats.parse(BLOCK)).isEqualTo(new PortStats(0, 12, 3, 768, 1, 2, 45007392, 0, 2880473088L, 7, 6466638));
    }

    @Test
    void theHeaderAndEndLinesAreRecognised() {
        assertThat(PortStats.HEADER.matcher(BLOCK.getFirst()).find()).isTrue();
        assertThat(PortStats.END.matcher(BLOCK.getLast()).find()).isTrue();
        assertThat(PortStats.END.matcher(BLOCK.getFirst()).find()).isFalse();
    }

    @Test
    void aMissingLineIsNamed() {
        List<String> noTx = BLOCK.stream().filter(l -> !l.contains("TX-packets")).toList();
        assertThatThrownBy(() -> PortStats.parse(noTx)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TX-packets/TX-errors/TX-bytes");
    }

    @Test
    void terminalEscapesAndCarriageReturnsAreCleaned() {
        assertThat(PeerProcess.clean("\u001b[2J\u001b[1;1HPort statistics ====\r")).isEqualTo("Port statistics ====");
    }
}
