package net.responder.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Hand-built frames in, exact replies out. The expected replies were computed apart from this
 * code (the RFC 1071 checksum over the bytes as written here); a frame that must not be answered
 * leaves the reply buffer as it was.
 */
class AnswersTest {

    static final HexFormat HEX = HexFormat.of();
    static final long US = 0x02_00_00_00_00_01L;
    static final int[] OURS = {0x0a000301};

    /** An echo request from 52:54:00:12:34:ab / 10.0.3.2 to us at 10.0.3.1: id 0x1234, seq 1, 16 data bytes, 58 bytes unpadded. */
    static final String ECHO = "0200000000015254001234ab08004500002cbeef4000400161df0a0003020a0003010800ad8a12340001"
            + "000102030405060708090a0b0c0d0e0f";
    static final String ECHO_REPLY = "5254001234ab02000000000108004500002c00004000400120cf0a0003010a0003020000b58a12340001"
            + "000102030405060708090a0b0c0d0e0f0000";
    /** Who has 10.0.3.1, tell 10.0.3.2 at 52:54:00:12:34:ab; broadcast. */
    static final String ARP = "ffffffffffff5254001234ab080600010800060400015254001234ab0a0003020000000000000a000301"
            + "000000000000000000000000000000000000";
    static final String ARP_REPLY = "5254001234ab020000000001080600010800060400020200000000010a0003015254001234ab0a000302"
            + "000000000000000000000000000000000000";

    final Reply out = new Reply(1514);

    static MemorySegment frame(String hex) {
        return MemorySegment.ofArray(HEX.parseHex(hex));
    }

    /** {@code hex} with byte {@code at} set to {@code value}. */
    static MemorySegment with(String hex, int at, int value) {
        byte[] b = HEX.parseHex(hex);
        b[at] = (byte) value;
        return MemorySegment.ofArray(b);
    }

    String reply() {
        return HEX.formatHex(out.frame().toArray(ValueLayout.JAVA_BYTE));
    }

    Outcome answer(MemorySegment in) {
        return Answers.answer(in, US, OURS, out);
    }

    @Test
    void anEchoRequestIsAnsweredWithTheSameIdSequenceAndDataAndCorrectChecksumsPaddedTo60() {
        assertThat(answer(frame(ECHO))).isEqualTo(Outcome.ECHO_REPLY);
        assertThat(reply()).isEqualTo(ECHO_REPLY);
        assertThat(Wire.onesSum(out.buffer, 14, 20)).as("IP header checksum").isEqualTo(0xffff);
        assertThat(Wire.onesSum(out.buffer, 34, 24)).as("ICMP checksum").isEqualTo(0xffff);
    }

    @Test
    void anEchoRequestWithOptionsAndAnOddLengthIsAnsweredWithoutTheOptionsKeepingTos() {
        // IHL 6 (NOP NOP NOP EOL), TOS 0x10, TTL 3, 3 data bytes, padded by its sender to 60
        String request = "0200000000015254001234ab0800461000230001000003019ac60a0003020a000301010101000800e67c"
                + "abcd0102a1b2c30000000000000000000000";
        assertThat(answer(frame(request))).isEqualTo(Outcome.ECHO_REPLY);
        assertThat(reply()).isEqualTo("5254001234ab02000000000108004510001f00004000400120cc0a0003010a0003020000ee7c"
                + "abcd0102a1b2c3000000000000000000000000000000");
    }

    @Test
    void anArpRequestForOurAddressIsAnsweredToTheAskerAndUnicastArpToUsToo() {
        assertThat(answer(frame(ARP))).isEqualTo(Outcome.ARP_REPLY);
        assertThat(reply()).isEqualTo(ARP_REPLY);
        String unicast = "020000000001" + ARP.substring(12);
        out.length = 0;
        assertThat(answer(frame(unicast))).isEqualTo(Outcome.ARP_REPLY);
        assertThat(reply()).isEqualTo(ARP_REPLY);
        // an ARP probe (sender 0.0.0.0, RFC 5227) is answered to 0.0.0.0
        MemorySegment probe = frame(ARP);
        probe.set(Wire.BE32, Wire.ARP_SPA, 0);
        assertThat(answer(probe)).isEqualTo(Outcome.ARP_REPLY);
        assertThat(out.buffer.get(Wire.BE32, Wire.ARP_TPA)).isZero();
    }

    @Test
    void framesNotForUsAreIgnoredAndNothingIsBuilt() {
        out.length = 7;
        assertThat(answer(with(ARP, 41, 9))).as("ARP for 10.0.3.9").isEqualTo(Outcome.IGNORED);
        assertThat(answer(with(ARP, 21, 2))).as("an ARP reply").isEqualTo(Outcome.IGNORED);
        MemorySegment announce = frame(ARP);
        announce.set(Wire.BE32, Wire.ARP_SPA, OURS[0]);
        assertThat(answer(announce)).as("an announcement of our own address").isEqualTo(Outcome.IGNORED);
        assertThat(answer(with(ARP, 0, 0x33))).as("ARP to another unicast MAC").isEqualTo(Outcome.IGNORED);
        assertThat(answer(withIpChecksum(with(ECHO, 33, 9)))).as("echo to 10.0.3.9").isEqualTo(Outcome.IGNORED);
        assertThat(answer(withIpChecksum(with(ECHO, 33, 255)))).as("to the subnet broadcast").isEqualTo(Outcome.IGNORED);
        assertThat(answer(with(ECHO, 5, 2))).as("echo to another MAC").isEqualTo(Outcome.IGNORED);
        assertThat(answer(withIcmpChecksum(with(ECHO, 34, 0)))).as("an echo reply").isEqualTo(Outcome.IGNORED);
        assertThat(answer(withIcmpChecksum(with(ECHO, 35, 1)))).as("echo with code 1").isEqualTo(Outcome.IGNORED);
        assertThat(answer(withIpChecksum(with(ECHO, 23, 17)))).as("UDP").isEqualTo(Outcome.IGNORED);
        assertThat(answer(with(ECHO, 12, 0x86))).as("IPv6 ethertype 0x86dd").isEqualTo(Outcome.IGNORED);
        assertThat(out.length).as("no reply built").isEqualTo(7);
    }

    @Test
    void malformedFramesAreDroppedWithTheirReasonAndNeverAnswered() {
        out.length = 7;
        assertThat(answer(frame(ECHO.substring(0, 26)))).isEqualTo(Outcome.DROP_TRUNCATED);
        assertThat(answer(frame(ECHO.substring(0, 2 * 40)))).as("shorter than an IPv4 header").isEqualTo(Outcome.DROP_TRUNCATED);
        assertThat(answer(frame(ECHO.substring(0, ECHO.length() - 2)))).as("one byte short of its total length")
                .isEqualTo(Outcome.DROP_TRUNCATED);
        assertThat(answer(frame(ARP.substring(0, 2 * 41)))).isEqualTo(Outcome.DROP_TRUNCATED);
        assertThat(answer(with(ECHO, 25, 0xe0))).as("IP header checksum").isEqualTo(Outcome.DROP_BAD_IP_CHECKSUM);
        assertThat(answer(with(ECHO, 57, 0x0e))).as("a data byte changed").isEqualTo(Outcome.DROP_BAD_ICMP_CHECKSUM);
        assertThat(answer(withIpChecksum(with(ECHO, 14, 0x65)))).as("version 6").isEqualTo(Outcome.DROP_BAD_IP_HEADER);
        assertThat(answer(withIpChecksum(with(ECHO, 14, 0x44)))).as("IHL 4").isEqualTo(Outcome.DROP_BAD_IP_HEADER);
        assertThat(answer(withIpChecksum(with(ECHO, 17, 19)))).as("total length 19").isEqualTo(Outcome.DROP_BAD_IP_HEADER);
        assertThat(answer(withIpChecksum(with(ECHO, 20, 0x60)))).as("DF and more fragments").isEqualTo(Outcome.DROP_FRAGMENT);
        assertThat(answer(withIpChecksum(with(ECHO, 21, 0x01)))).as("an offset").isEqualTo(Outcome.DROP_FRAGMENT);
        assertThat(answer(withIpChecksum(with(ECHO, 17, 27)))).as("ICMP shorter than an echo header").isEqualTo(Outcome.DROP_TRUNCATED);
        assertThat(answer(with(ARP, 19, 5))).as("protocol length 5").isEqualTo(Outcome.DROP_BAD_ARP);
        assertThat(answer(with(ARP, 15, 6))).as("hardware type 6").isEqualTo(Outcome.DROP_BAD_ARP);
        assertThat(answer(with(ARP, 21, 3))).as("operation 3").isEqualTo(Outcome.DROP_BAD_ARP);
        assertThat(answer(with(ECHO, 6, 0x53))).as("a multicast source MAC").isEqualTo(Outcome.DROP_BAD_SOURCE);
        assertThat(answer(with(ARP, 22, 0x01))).as("a multicast sender MAC").isEqualTo(Outcome.DROP_BAD_SOURCE);
        assertThat(answer(withIpChecksum(with(ECHO, 26, 127)))).as("from loopback").isEqualTo(Outcome.DROP_BAD_SOURCE);
        assertThat(answer(withIpChecksum(with(ECHO, 29, 1)))).as("from our own address").isEqualTo(Outcome.DROP_BAD_SOURCE);
        assertThat(answer(withIpChecksum(with(ECHO, 26, 224)))).as("from multicast").isEqualTo(Outcome.DROP_BAD_SOURCE);
        assertThat(out.length).as("no reply built").isEqualTo(7);
    }

    @Test
    void aReplyLongerThanTheInterfacesLargestFrameIsDropped() {
        Reply small = new Reply(57);
        assertThat(Answers.answer(frame(ECHO), US, OURS, small)).isEqualTo(Outcome.DROP_TOO_LONG);
    }

    @Test
    void theOnesComplementSumIsRfc1071s() {
        // RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2
        assertThat(Wire.onesSum(frame("0001f203f4f5f6f7"), 0, 8)).isEqualTo(0xddf2);
        assertThat(Wire.onesSum(frame("0001f203f4f5f6"), 0, 7)).isEqualTo(0xddf2 - 0xf7);
        assertThat(Wire.checksum(frame("0001f203f4f5f6f7"), 0, 8)).isEqualTo((short) 0x220d);
    }

    /** The frame with its IPv4 header checksum made right again after a change. */
    static MemorySegment withIpChecksum(MemorySegment f) {
        int ihl = (Wire.u8(f, Wire.IP_VIHL) & 0xf) * 4;
        f.set(Wire.BE16, Wire.IP_CHECKSUM, (short) 0);
        f.set(Wire.BE16, Wire.IP_CHECKSUM, Wire.checksum(f, Wire.IP_VIHL, Math.max(20, ihl)));
        return f;
    }

    /** The frame with its ICMP checksum made right again after a change (header without options). */
    static MemorySegment withIcmpChecksum(MemorySegment f) {
        int len = Wire.u16(f, Wire.IP_TOTAL_LENGTH) - 20;
        f.set(Wire.BE16, 34 + Wire.ICMP_CHECKSUM, (short) 0);
        f.set(Wire.BE16, 34 + Wire.ICMP_CHECKSUM, Wire.checksum(f, 34, len));
        return f;
    }
}
