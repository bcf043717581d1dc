package bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesNestedValuesEscapesAndNumbers() {
        @SuppressWarnings("unchecked")
        Map<String, Object> v = (Map<String, Object>) Json.parse(
                " {\"a\" : [1, -2.5e3, \"x\\\"y\\u0041\\n\"], \"b\": null, \"c\": true, \"d\": {}} ");

        assertThat(v.get("a")).isEqualTo(List.of(1.0, -2500.0, "x\"yA\n"));
        assertThat(v).containsEntry("b", null).containsEntry("c", true).containsEntry("d", Map.of());
        assertThat(v.keySet()).containsExactly("a", "b", "c", "d");
    }

    @Test
    void refusesTruncatedAndTrailingText() {
        assertThatIllegalArgumentException().isThrownBy(() -> Json.parse("[1, 2"));
        assertThatIllegalArgumentException().isThrownBy(() -> Json.parse("{\"a\": 1} x"));
        assertThatIllegalArgumentException().isThrownBy(() -> Json.parse("{\"a\" 1}"));
        assertThatIllegalArgumentException().isThrownBy(() -> Json.parse("\"open"));
    }
}
