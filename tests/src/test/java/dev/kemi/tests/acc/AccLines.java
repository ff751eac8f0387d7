package dev.kemi.tests.acc;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.kemi.runtime.modules.acc.AccModule;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** An appender on acc's own logger: the accounting lines are acc's product, read here as a syslog reader would. */
final class AccLines extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<String> lines = new ArrayList<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(AccModule.LOGGER);

    AccLines() {
        setName("acc-test");
        setContext(logger.getLoggerContext());
        start();
        logger.addAppender(this);
    }

    @Override
    protected synchronized void append(ILoggingEvent e) {
        lines.add(e.getFormattedMessage());
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
