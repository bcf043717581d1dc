package interop;

import interop.peer.PeerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A JVM that starts a peer and exits without closing it (as a test JVM killed by failsafe's
 * timeout or ended by System.exit would): its shutdown hook must kill the peer and delete what
 * it was to leave behind. Run by {@link ShutdownHookIT}.
 */
public final class ExitWithoutClose {
    public static void main(String[] args) {
        PeerProcess sleeper = PeerProcess.start("orphan", List.of("sleep", "600"), Duration.ofMinutes(5), List.of(Path.of(args[0])));
        System.out.println("pid=" + sleeper.pid());
        System.out.flush();
        System.exit(3);
    }

    private ExitWithoutClose() {
    }
}
