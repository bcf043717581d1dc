package driver.core.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what driver.core logs while a test runs. With no logging provider installed,
 * {@link System.Logger} writes to java.util.logging, so a handler on the bundle's root logger
 * sees every record its classes log.
 */
final class LogRecorder extends Handler implements AutoCloseable {
    private final Logger root = Logger.getLogger("driver.core");
    final List<LogRecord> records = new CopyOnWriteArrayList<>();

    LogRecorder() {
        root.addHandler(this);
    }

    /** The records at SEVERE (System.Logger's ERROR) whose message, thrown exception or its message mentions {@code text}. */
    List<LogRecord> errorsMentioning(String text) {
        return records.stream().filter(r -> r.getLevel() == Level.SEVERE).filter(r -> mentions(r, text)).toList();
    }

    private static boolean mentions(LogRecord r, String text) {
        for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains(text)) {
                return true;
            }
        }
        return String.valueOf(r.getMessage()).contains(text);
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        root.removeHandler(this);
    }
}
