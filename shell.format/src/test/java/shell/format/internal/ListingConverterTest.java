package shell.format.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.felix.service.command.Converter;
import org.junit.jupiter.api.Test;
import shell.format.Listing;
import shell.format.Table;

class ListingConverterTest {
    final ListingConverter converter = new ListingConverter();
    final Listing<String> listing = Listing.of(List.of("a", "b"), Table.of(Table.column("X", (String s) -> s)));

    @Test
    void formatsListingsAtEveryLevelAndNothingElse() {
        for (int level : new int[] {Converter.INSPECT, Converter.LINE, Converter.PART}) {
            assertThat(converter.format(listing, level, null)).isEqualTo("X\na\nb");
            assertThat(converter.format(listing.asJson(true), level, null)).isEqualTo("[\"a\",\"b\"]");
        }
        assertThat(converter.format("text", Converter.INSPECT, null)).isNull();
        assertThat(converter.format(List.of("a"), Converter.INSPECT, null)).isNull();
    }

    @Test
    void convertsAListingToItsTextOrItsRecords() {
        assertThat(converter.convert(String.class, listing)).isEqualTo("X\na\nb");
        assertThat(converter.convert(List.class, listing)).isEqualTo(List.of("a", "b"));
        assertThat(converter.convert(Integer.class, listing)).isNull();
        assertThat(converter.convert(String.class, "a")).isNull();
    }
}
