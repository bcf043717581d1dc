package runtime.boot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class ConsoleLogTest {

    final ConsoleLog format = new ConsoleLog();

    @Test
    void aRecordIsOneLineWithTimeLevelLoggerAndTheFormattedMessage() {
        LogRecord r = new LogRecord(Level.WARNING, "{0} refused {1}: {2}");
        r.setParameters(new Object[] {"vdpasim_net", "/srv/deploy/vdpa.sim.net-bad.cfg", "invalid mac 'zz'"});
        r.setLoggerName("vdpa.sim");
        String line = format.format(r);
        assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARNING vdpa.sim: vdpasim_net refused "
                + "/srv/deploy/vdpa.sim.net-bad.cfg: invalid mac 'zz'" + System.lineSeparator());
    }

    @Test
    void aRecordWithAnExceptionKeepsItsStackTraceBelow() {
        LogRecord r = new LogRecord(Level.SEVERE, "datapath failed");
        r.setLoggerName("vdpa.sim");
        r.setThrown(new IllegalStateException("bug"));
        String text = format.format(r);
        assertThat(text.lines().findFirst().orElseThrow()).endsWith("SEVERE vdpa.sim: datapath failed");
        assertThat(text).contains("java.lang.IllegalStateException: bug").contains("\tat ");
    }

    @Test
    void installedOnTheConsoleHandlersAndGivenBack() {
        Logger root = Logger.getLogger("");
        ConsoleHandler console = new ConsoleHandler();
        root.addHandler(console);
        try {
            var before = console.getFormatter();
            format.install();
            assertThat(console.getFormatter()).isSameAs(format);
            assertThat(Arrays.stream(root.getHandlers()).filter(h -> !(h instanceof ConsoleHandler)))
                    .allMatch((Handler h) -> h.getFormatter() != format);
            format.uninstall();
            assertThat(console.getFormatter()).isSameAs(before);
        } finally {
            root.removeHandler(console);
        }
    }
}
