package shell.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeywordsTest {
    static final List<String> KEYS = List.of("count", "size");

    static Keywords parse(String line) {
        return Keywords.parse(line.isEmpty() ? List.of() : List.of(line.split(" ")), KEYS);
    }

    @Test
    void pairsInAnyOrderAndAbsentKeysGiveTheDefault() {
        Keywords k = parse("size 64 count 10");
        assertThat(k.get("size")).isEqualTo("64");
        assertThat(k.decimal("count", 1, 100, 5)).isEqualTo(10);
        assertThat(parse("").decimal("count", 1, 100, 5)).isEqualTo(5);
        assertThat(parse("").get("size")).isNull();
    }

    @Test
    void eachBadWordIsNamedInOneLine() {
        assertThatThrownBy(() -> parse("colour red")).hasMessage("unknown argument 'colour' (expected one of count, size)");
        assertThatThrownBy(() -> parse("count")).hasMessage("'count' needs a value");
        assertThatThrownBy(() -> parse("count 1 count 2")).hasMessage("'count' given twice");
        assertThatThrownBy(() -> parse("count x").decimal("count", 1, 100, 5)).hasMessage("invalid count 'x': expected a whole number 1..100");
        assertThatThrownBy(() -> parse("count 0").decimal("count", 1, 100, 5)).hasMessage("invalid count '0': expected a whole number 1..100");
        assertThatThrownBy(() -> parse("count -3").decimal("count", 1, 100, 5)).hasMessage("invalid count '-3': expected a whole number 1..100");
        assertThatThrownBy(() -> parse("count 9999999999999999999999").decimal("count", 1, 100, 5))
                .hasMessageStartingWith("invalid count '9999999999999999999999'");
    }
}
