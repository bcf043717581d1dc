package runtime.boot.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One line per log record on the console. The bundles log through {@link System.Logger}, which the
 * JDK sends to java.util.logging, whose default console format spends two lines on each record
 * (time and method, then level and message): a refused configuration, a probe that failed, is
 * one event and reads as one line, {@code 12:00:01.123 WARNING vdpa.sim: ...}. A record with an
 * exception (a bug, not hostile input) still gets its stack trace below. Left alone when the
 * user configures java.util.logging.
 */
final class ConsoleLog extends Formatter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    /** The console handlers given this format, with the formatter each had before. */
    private final Map<Handler, Formatter> replaced = new IdentityHashMap<>();

    /** Puts this format on the root logger's console handlers, unless java.util.logging is configured. */
    void install() {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null
                || System.getProperty("java.util.logging.SimpleFormatter.format") != null) {
            return;
        }
        for (Handler h : Logger.getLogger("").getHandlers()) {
            if (h instanceof ConsoleHandler) {
                replaced.put(h, h.getFormatter());
                h.setFormatter(this);
            }
        }
    }

    /** Gives the handlers their formatters back (the bundle's classes must not outlive it). */
    void uninstall() {
        replaced.forEach((h, f) -> {
            if (h.getFormatter() == this) {
                h.setFormatter(f);
            }
        });
        replaced.clear();
    }

    @Override
    public String format(LogRecord r) {
        StringBuilder b = new StringBuilder(128);
        TIME.formatTo(Instant.ofEpochMilli(r.getMillis()), b);
        b.append(' ').append(r.getLevel().getName()).append(' ').append(r.getLoggerName()).append(": ")
                .append(formatMessage(r)).append(System.lineSeparator());
        if (r.getThrown() != null) {
            StringWriter trace = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(trace));
            b.append(trace);
        }
        return b.toString();
    }
}
