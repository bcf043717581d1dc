package vdpa.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LinkSpecTest {

    @Test
    void eachKindParsesAndPrintsBackTheSame() {
        for (String s : new String[] {"loopback", "cable:c0", "tap:bbtap0", "tap:bbtap0@busbar-test-1", "tap:a23456789012345@n"}) {
            assertThat(LinkSpec.parse(s).toString()).isEqualTo(s);
        }
        assertThat(LinkSpec.parse(" ")).isEqualTo(LinkSpec.LOOPBACK);
        assertThat(LinkSpec.parse("tap:t0@ns1")).isEqualTo(new LinkSpec.Tap("t0", "ns1"));
        assertThat(LinkSpec.parse("tap:t0")).isEqualTo(new LinkSpec.Tap("t0", null));
    }

    @Test
    void aTapValueTheKernelWouldRefuseIsRefusedNamingTheRule() {
        assertThatThrownBy(() -> LinkSpec.parse("tap:a234567890123456"))
                .hasMessage("invalid link 'tap:a234567890123456': interface name 'a234567890123456' is 16 bytes,"
                        + " longer than 15 (IFNAMSIZ)");
        assertThatThrownBy(() -> LinkSpec.parse("tap:")).hasMessageContaining("interface name is empty");
        assertThatThrownBy(() -> LinkSpec.parse("tap:a/b")).hasMessageContaining("'/'");
        assertThatThrownBy(() -> LinkSpec.parse("tap:t0@")).hasMessageContaining("network namespace name must be 1 to 255");
        assertThatThrownBy(() -> LinkSpec.parse("tap:t0@../../etc")).hasMessageContaining("letters, digits");
        assertThatThrownBy(() -> LinkSpec.parse("wire:x")).hasMessageContaining("tap:<ifname>[@<netns>]");
    }
}
