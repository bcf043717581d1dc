package driver.core.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    record Row(String name, int count, boolean bound, List<String> devices, String none) {}

    enum Color { RED }

    @Test
    void recordsBecomeObjectsKeyedByComponentName() {
        assertThat(Json.write(new Row("vdpa0", 2, true, List.of("a", "b"), null)))
                .isEqualTo("{\"name\":\"vdpa0\",\"count\":2,\"bound\":true,\"devices\":[\"a\",\"b\"],\"none\":null}");
    }

    @Test
    void stringsAreEscaped() {
        assertThat(Json.write("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    }

    @Test
    void mapsEnumsAndNonFiniteNumbers() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("c", Color.RED);
        m.put("n", Double.NaN);
        m.put("l", new long[] {1, 2});
        assertThat(Json.write(m)).isEqualTo("{\"c\":\"RED\",\"n\":\"NaN\",\"l\":[1,2]}");
    }
}
