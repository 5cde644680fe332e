package dev.bonsai.reports;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Captures what one class logs, for tests. Close it to detach. */
public final class LogCapture extends AbstractAppender implements AutoCloseable {
    private final List<LogEvent> events = new CopyOnWriteArrayList<>();
    private final Logger logger;

    private LogCapture(Class<?> type) {
        super("capture-" + type.getSimpleName(), null, null, true, Property.EMPTY_ARRAY);
        this.logger = (Logger) LogManager.getLogger(type);
        start();
        logger.addAppender(this);
    }

    /** Starts capturing what {@code type} logs. */
    public static LogCapture of(Class<?> type) {
        return new LogCapture(type);
    }

    @Override
    public void append(LogEvent event) {
        events.add(event.toImmutable());
    }

    /** The formatted messages logged at {@code level}. */
    public List<String> messages(Level level) {
        return events.stream().filter(e -> e.getLevel() == level)
                .map(e -> e.getMessage().getFormattedMessage()).toList();
    }

    @Override
    public void close() {
        logger.removeAppender(this);
        stop();
    }
}
