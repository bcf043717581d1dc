package interop.peer;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One port's counters as testpmd's {@code show port stats N} prints them (the block headed
 * "NIC statistics for port N"): totals since the port started, and the rates testpmd computed
 * since the previous show.
 */
public record PortStats(int port, long rxPackets, long rxMissed, long rxBytes, long rxErrors, long rxNombuf,
        long txPackets, long txErrors, long txBytes, long rxPps, long txPps) {

    /** The block's first line; group 1 is the port. */
    static final Pattern HEADER = Pattern.compile("#+ NIC statistics for port (\\d+) +#+");
    /** The block's last line: only hashes. */
    static final Pattern END = Pattern.compile("^\\s*#+\\s*$");

    private static final Pattern RX = Pattern.compile(
            "RX-packets:\\s*(\\d+)\\s+RX-missed:\\s*(\\d+)\\s+RX-bytes:\\s*(\\d+)");
    private static final Pattern RX_ERRORS = Pattern.compile("RX-errors:\\s*(\\d+)");
    private static final Pattern RX_NOMBUF = Pattern.compile("RX-nombuf:\\s*(\\d+)");
    private static final Pattern TX = Pattern.compile(
            "TX-packets:\\s*(\\d+)\\s+TX-errors:\\s*(\\d+)\\s+TX-bytes:\\s*(\\d+)");
    private static final Pattern RX_PPS = Pattern.compile("Rx-pps:\\s*(\\d+)");
    private static final Pattern TX_PPS = Pattern.compile("Tx-pps:\\s*(\\d+)");

    /**
     * Parses one block, from its header line to its closing line of hashes.
     *
     * @throws IllegalArgumentException naming the line testpmd did not print
     */
    public static PortStats parse(List<String> block) {
        Matcher header = find(block, HEADER, "the header 'NIC statistics for port N'");
        Matcher rx = find(block, RX, "RX-packets/RX-missed/RX-bytes");
        Matcher tx = find(block, TX, "TX-packets/TX-errors/TX-bytes");
        return new PortStats(Integer.parseInt(header.group(1)),
                Long.parseLong(rx.group(1)), Long.parseLong(rx.group(2)), Long.parseLong(rx.group(3)),
                number(find(block, RX_ERRORS, "RX-errors")), number(find(block, RX_NOMBUF, "RX-nombuf")),
                Long.parseLong(tx.group(1)), Long.parseLong(tx.group(2)), Long.parseLong(tx.group(3)),
                number(find(block, RX_PPS, "Rx-pps")), number(find(block, TX_PPS, "Tx-pps")));
    }

    private static Matcher find(List<String> block, Pattern pattern, String what) {
        for (String line : block) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m;
            }
        }
        throw new IllegalArgumentException("testpmd's port statistics have no " + what + ": " + block);
    }

    private static long number(Matcher m) {
        return Long.parseLong(m.group(1));
    }
}
