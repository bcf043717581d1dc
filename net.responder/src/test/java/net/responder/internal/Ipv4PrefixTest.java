package net.responder.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Ipv4PrefixTest {

    @Test
    void hostAddressesParseAndPrintBack() {
        assertThat(Ipv4Prefix.parse("10.0.3.1/24")).isEqualTo(new Ipv4Prefix(0x0a000301, 24));
        assertThat(Ipv4Prefix.parse(" 192.168.0.255/16 ").toString()).isEqualTo("192.168.0.255/16");
        assertThat(Ipv4Prefix.parse("10.0.3.1").toString()).isEqualTo("10.0.3.1/32");
        assertThat(Ipv4Prefix.parse("10.0.3.0/31").toString()).as("a /31 has no network address").isEqualTo("10.0.3.0/31");
        assertThat(Ipv4Prefix.parse("223.255.255.254/0").length()).isZero();
    }

    @Test
    void whatCannotBeAHostsAddressIsRefusedSayingWhy() {
        assertThatThrownBy(() -> Ipv4Prefix.parse("10.0.3.300/24")).hasMessage("invalid address '10.0.3.300/24': octet '300' is not 0 to 255");
        assertThatThrownBy(() -> Ipv4Prefix.parse("10.0.3/24")).hasMessageContaining("expected 4 dot-separated octets, got 3");
        assertThatThrownBy(() -> Ipv4Prefix.parse("10.0.3.1/33")).hasMessageContaining("prefix length '33' is not 0 to 32");
        assertThatThrownBy(() -> Ipv4Prefix.parse("10.0.3.1/")).hasMessageContaining("prefix length '' is not 0 to 32");
        assertThatThrownBy(() -> Ipv4Prefix.parse("10.0.3.+1/24")).hasMessageContaining("octet '+1'");
        assertThatThrownBy(() -> Ipv4Prefix.parse("0.0.0.0/0")).hasMessageContaining("unspecified");
        assertThatThrownBy(() -> Ipv4Prefix.parse("127.0.0.1/8")).hasMessageContaining("loopback");
        assertThatThrownBy(() -> Ipv4Prefix.parse("224.0.0.1/4")).hasMessageContaining("multicast");
        assertThatThrownBy(() -> Ipv4Prefix.parse("240.0.0.1/4")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> Ipv4Prefix.parse("255.255.255.255")).hasMessageContaining("broadcast address");
        assertThatThrownBy(() -> Ipv4Prefix.parse("10.0.3.255/24")).hasMessage("invalid address '10.0.3.255/24': it is the broadcast address of 10.0.3.0/24");
        assertThatThrownBy(() -> Ipv4Prefix.parse("10.0.0.0/8")).hasMessageContaining("network address of 10.0.0.0/8");
    }
}
