package bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bench.peer.VhostOptions.Direction;
import bench.peer.VhostOptions.Ring;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class VhostOptionsTest {

    @Test
    void noOptionsAreTheDefaultsEveryCombinationThreeTimes() {
        VhostOptions o = VhostOptions.parse();
        assertThat(o).isEqualTo(VhostOptions.defaults());
        assertThat(o.sizes()).containsExactly(64, 1518);
        assertThat(o.rings()).containsExactly(Ring.SPLIT, Ring.PACKED);
        assertThat(o.directions()).containsExactly(Direction.TX, Direction.RX);
        assertThat(o.runs()).isEqualTo(2 * 3 * 2 * 2 * 2);
    }

    @Test
    void everyOptionIsTakenInTheOrderGiven() {
        VhostOptions o = VhostOptions.parse("--seconds", "1.5", "--warmup", "0", "--repeat", "2", "--sizes", "1518, 64,60",
                "--rings", "PACKED", "--directions", "rx", "--out", "x/y.txt");
        assertThat(o).isEqualTo(new VhostOptions(1.5, 0, 2, List.of(1518, 64, 60), List.of(Ring.PACKED), List.of(Direction.RX),
                Path.of("x/y.txt")));
        assertThat(o.runs()).isEqualTo(2 * 2 * 3);
    }

    @Test
    void aBadValueIsRefusedNamingTheOptionAndTheRule() {
        assertThatThrownBy(() -> VhostOptions.parse("--sizes", "64,59")).hasMessage("--sizes: '59' is not a whole number in 60..2048");
        assertThatThrownBy(() -> VhostOptions.parse("--sizes", "2049")).hasMessageContaining("'2049' is not a whole number in 60..2048");
        assertThatThrownBy(() -> VhostOptions.parse("--sizes", "64.5")).hasMessageContaining("'64.5' is not a whole number");
        assertThatThrownBy(() -> VhostOptions.parse("--sizes", "64,,1518")).hasMessageContaining("'' is not a whole number");
        assertThatThrownBy(() -> VhostOptions.parse("--sizes", "64,64")).hasMessage("--sizes: '64' is given twice");
        assertThatThrownBy(() -> VhostOptions.parse("--seconds", "0.1")).hasMessage("--seconds: '0.1' is not a number in 0.5..3600");
        assertThatThrownBy(() -> VhostOptions.parse("--seconds", "-3")).hasMessageContaining("'-3' is not a number");
        assertThatThrownBy(() -> VhostOptions.parse("--seconds", "1e3")).hasMessageContaining("'1e3' is not a number");
        assertThatThrownBy(() -> VhostOptions.parse("--repeat", "0")).hasMessage("--repeat: '0' is not a whole number in 1..100");
        assertThatThrownBy(() -> VhostOptions.parse("--rings", "split,ring")).hasMessage("--rings: 'ring' is not one of split, packed");
        assertThatThrownBy(() -> VhostOptions.parse("--directions", "both")).hasMessage("--directions: 'both' is not one of tx, rx");
        assertThatThrownBy(() -> VhostOptions.parse("--repeat")).hasMessageStartingWith("--repeat needs a value");
        assertThatThrownBy(() -> VhostOptions.parse("--packed")).hasMessageStartingWith("unknown option '--packed'; usage: bench/run --vhost");
    }
}
