package dev.winnow.flink.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** Collects the messages one logger writes at WARN and above while it is open (log4j 2, the tests' backend). */
public final class LogLines extends AbstractAppender implements AutoCloseable {
    public final List<String> lines = new CopyOnWriteArrayList<>();
    private final LoggerConfig config;

    public LogLines(Class<?> logger) {
        super("test-lines-" + logger.getSimpleName(), null, null, true, Property.EMPTY_ARRAY);
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        LoggerConfig cfg = ctx.getConfiguration().getLoggerConfig(logger.getName());
        if (!cfg.getName().equals(logger.getName())) {
            cfg = new LoggerConfig(logger.getName(), org.apache.logging.log4j.Level.WARN, true);
            ctx.getConfiguration().addLogger(logger.getName(), cfg);
        }
        this.config = cfg;
        start();
        config.addAppender(this, org.apache.logging.log4j.Level.WARN, null);
        ctx.updateLoggers();
    }

    @Override
    public void append(LogEvent event) {
        lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
    }

    public boolean any(String fragment) {
        return lines.stream().anyMatch(l -> l.contains(fragment));
    }

    @Override
    public void close() {
        config.removeAppender(getName());
        ((LoggerContext) LogManager.getContext(false)).updateLoggers();
        stop();
    }
}
