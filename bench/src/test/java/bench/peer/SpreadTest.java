package bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void theMedianOfAnOddCountIsTheMiddleOneOfAnEvenCountTheMeanOfTheMiddleTwo() {
        assertThat(Spread.of(3, 1, 2)).isEqualTo(new Spread(1, 2, 3, 3));
        assertThat(Spread.of(4, 1, 10, 2)).isEqualTo(new Spread(1, 3, 10, 4));
        assertThat(Spread.of(7)).isEqualTo(new Spread(7, 7, 7, 1));
    }

    @Test
    void ratiosArePairedByRepeatNotBestOverWorst() {
        // repeat 1: 10 / 20, repeat 2: 30 / 20, repeat 3: 12 / 24
        Spread r = Spread.ofRatios(new double[] {10, 30, 12}, new double[] {20, 20, 24});
        assertThat(r).isEqualTo(new Spread(0.5, 0.5, 1.5, 3));
        assertThat(r.format(1, 2)).isEqualTo("0.50 [0.50 .. 1.50]");
        assertThat(Spread.of(12.5e6, 13e6).format(1e-6, 2)).isEqualTo("12.75 [12.50 .. 13.00]");
    }

    @Test
    void nothingToSpreadOrNoDenominatorIsRefused() {
        assertThatThrownBy(Spread::of).hasMessage("a spread of no values");
        assertThatThrownBy(() -> Spread.of(1, Double.NaN)).hasMessageContaining("not a finite number: NaN");
        assertThatThrownBy(() -> Spread.ofRatios(new double[] {1}, new double[] {0})).hasMessage("denominator 0 is 0.0: no ratio");
        assertThatThrownBy(() -> Spread.ofRatios(new double[] {1, 2}, new double[] {1})).hasMessage("2 numerators for 1 denominators");
    }
}
