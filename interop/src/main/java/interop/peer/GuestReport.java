package interop.peer;

import java.util.List;
import java.util.Optional;

/**
 * What a guest reported before it powered off: its {@code busbar: ...} lines in order, and the
 * whole console for messages.
 */
public record GuestReport(List<GuestEvent> events, List<String> console) {

    static GuestReport of(List<String> console) {
        return new GuestReport(console.stream().map(GuestEvent::parse).flatMap(Optional::stream).toList(), console);
    }

    /** The first event called {@code what}. */
    public GuestEvent event(String what) {
        return events.stream().filter(e -> e.what().equals(what)).findFirst()
                .orElseThrow(() -> new PeerException("the guest printed no '" + what + "' line:\n" + String.join("\n", console)));
    }

    public List<GuestEvent> events(String what) {
        return events.stream().filter(e -> e.what().equals(what)).toList();
    }

    /** The exit code of the test script (the last thing /init reports). */
    public int exitCode() {
        return (int) event("exit").number("code");
    }

    /** The interface counters /init read after the script: /sys/class/net/eth0/statistics. */
    public GuestEvent stat() {
        return event("stat");
    }

    /** The driver's own counters (ethtool -S) read after the script, e.g. tx_queue_1_packets. */
    public GuestEvent ethtool() {
        return event("ethtool");
    }

    /** Error lines /init printed (a module that did not load, a setting refused). */
    public List<GuestEvent> errors() {
        return events("error");
    }
}
