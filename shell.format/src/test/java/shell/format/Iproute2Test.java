package shell.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Iproute2Test {
    record Dev(String name, String type, String driver, List<String> features) {}

    static final Iproute2<Dev> DEV = Iproute2.objects("dev", d -> Attributes.of(d.name())
            .put("type", d.type()).put("driver", d.driver()).line("negotiated_features", d.features()));

    @Test
    void oneLinePerObjectAbsentAttributesLeftOutOwnLinesIndented() {
        List<Dev> devs = List.of(new Dev("vdpa0", "network", "virtio_vdpa", List.of("MTU", "MAC")), new Dev("vdpa1", "network", null, null));
        assertThat(Listing.of(devs, DEV).render()).isEqualTo("""
                vdpa0: type network driver virtio_vdpa
                  negotiated_features MTU MAC
                vdpa1: type network""");
        assertThat(Listing.of(devs, DEV).asJson(true).render()).isEqualTo("{\"dev\":{\"vdpa0\":{\"type\":\"network\","
                + "\"driver\":\"virtio_vdpa\",\"negotiated_features\":[\"MTU\",\"MAC\"]},\"vdpa1\":{\"type\":\"network\"}}}");
    }

    @Test
    void nothingToShowIsEmptyTextAndAnEmptySection() {
        assertThat(Listing.of(List.<Dev>of(), DEV).render()).isEmpty();
        assertThat(Listing.of(List.<Dev>of(), DEV).asJson(true).render()).isEqualTo("{\"dev\":{}}");
    }

    @Test
    void countersPrintAsNameValuePairsAndJsonAsOneObject() {
        Map<String, Long> stats = new LinkedHashMap<>();
        stats.put("rx_frames", 10L);
        stats.put("rx_bytes", 640L);
        Attributes a = Attributes.of("vdpa0").put("queue_index", 0).nameValues("stats", stats);
        assertThat(a.text()).isEqualTo("vdpa0: queue_index 0 name rx_frames value 10 name rx_bytes value 640");
        assertThat(Listing.of(List.of(a), Iproute2.objects("vstats", (Attributes x) -> x)).toJson())
                .isEqualTo("{\"vstats\":{\"vdpa0\":{\"queue_index\":0,\"stats\":{\"rx_frames\":10,\"rx_bytes\":640}}}}");
    }
}
