package shell.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListingTest {
    enum Color { RED }

    record Row(String name, int count, boolean bound, List<String> devices, String none, Color color) {}

    static final Table<Row> TABLE = Table.of(Table.column("NAME", Row::name), Table.column("COUNT", Row::count));

    final List<Row> rows = List.of(new Row("vdpa0", 2, true, List.of("a", "b"), null, Color.RED));

    @Test
    void textByDefaultWithoutTheFinalLineBreak() {
        Listing<Row> l = Listing.of(rows, TABLE);
        assertThat(l.isJson()).isFalse();
        assertThat(l.render()).isEqualTo("NAME   COUNT\nvdpa0  2").isEqualTo(l.toString()).isEqualTo(l.toText());
    }

    @Test
    void jsonWritesRecordsAsObjectsKeyedByComponentNameNullsAndEnumsIncluded() {
        Listing<Row> l = Listing.of(rows, TABLE).asJson(true);
        assertThat(l.render()).isEqualTo("[{\"name\":\"vdpa0\",\"count\":2,\"bound\":true,\"devices\":[\"a\",\"b\"],"
                + "\"none\":null,\"color\":\"RED\"}]");
        assertThat(l.asJson(false).render()).isEqualTo("NAME   COUNT\nvdpa0  2");
    }

    @Test
    void jsonEscapesControlCharactersButNotFilterSyntax() {
        Layout<String> plain = records -> String.join("\n", records);
        assertThat(Listing.of(List.of("(a=1)&<b>", "q\"\\\n\u0001"), plain).toJson())
                .isEqualTo("[\"(a=1)&<b>\",\"q\\\"\\\\\\n\\u0001\"]");
    }

    @Test
    void aLayoutShapesTheJsonAndUnsignedCountersStayExact() {
        Layout<Long> counters = new Layout<>() {
            @Override public String text(List<? extends Long> records) { return records.toString(); }
            @Override public Object json(List<? extends Long> records) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("max", new BigInteger(Long.toUnsignedString(records.getFirst())));
                return m;
            }
        };
        assertThat(Listing.of(List.of(-1L), counters).toJson()).isEqualTo("{\"max\":18446744073709551615}");
    }

    @Test
    void theRecordsAreCopiedAndKept() {
        List<Row> mine = new ArrayList<>(rows);
        Listing<Row> l = Listing.of(mine, TABLE);
        mine.clear();
        assertThat(l.records()).containsExactlyElementsOf(rows).isInstanceOf(ArrayList.class);
        l.records().clear();
        assertThat(l.records()).hasSize(1);
        assertThatThrownBy(() -> Listing.of(rows, null)).isInstanceOf(NullPointerException.class);
    }
}
