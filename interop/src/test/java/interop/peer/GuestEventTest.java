package interop.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GuestEventTest {

    @Test
    void parsesWhatAndPairs() {
        GuestEvent e = GuestEvent.parse("busbar: ping addr=10.0.3.1 transmitted=5 received=4 rc=1").orElseThrow();
        assertThat(e.what()).isEqualTo("ping");
        assertThat(e.value("addr")).isEqualTo("10.0.3.1");
        assertThat(e.number("received")).isEqualTo(4);
    }

    @Test
    void kernelMessagesBeforeTheMarkerAndOtherLinesAreNoEvents() {
        assertThat(GuestEvent.parse("[    2.6] virtio_net virtio0 eth0: renamed busbar: exit code=0")
                .map(GuestEvent::what)).contains("exit");
        assertThat(GuestEvent.parse("64 bytes from 10.0.3.1: seq=0 ttl=64 time=14.320 ms")).isEmpty();
        assertThat(GuestEvent.parse("busbar: exit code=0 trailing words")).isEmpty();
    }

    @Test
    void aMissingOrNonNumericValueIsAClearError() {
        GuestEvent e = GuestEvent.parse("busbar: stat iface=eth0 rx_packets=x").orElseThrow();
        assertThatThrownBy(() -> e.number("tx_packets")).hasMessageContaining("has no tx_packets");
        assertThatThrownBy(() -> e.number("rx_packets")).hasMessageContaining("rx_packets=x, not a number");
    }

    @Test
    void aReportFindsEventsInOrder() {
        GuestReport report = GuestReport.of(List.of("busbar: ready iface=eth0 features=0101", "noise",
                "busbar: error what=insmod_x.ko reason=No_such_file", "busbar: exit code=3"));
        assertThat(report.exitCode()).isEqualTo(3);
        assertThat(report.errors()).hasSize(1);
        assertThatThrownBy(report::stat).hasMessageContaining("no 'stat' line");
    }
}
