package dev.kemi.runtime.core;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Where `kemi run` logs, as Kamailio decides it: stderr with -E or log_stderror=yes, otherwise
 * (log_stderror=no, also its default) the local syslog socket with log_facility and log_name.
 * Without a syslog socket (a container without /dev/log) the lines stay on stderr, with one warning.
 */
public final class LogTarget {
    public static final Path DEV_LOG = Path.of("/dev/log");

    private LogTarget() {}

    /**
     * @param toStderr -E or log_stderror=yes
     * @return true if the log now goes to syslog
     */
    public static boolean apply(boolean toStderr, String facility, String logName, Path socket, PrintWriter err) {
        if (toStderr) return false;
        if (!Files.exists(socket)) {
            err.println("warning: log_stderror=no but there is no syslog socket " + socket + ": logging to stderr");
            return false;
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext lc)) return false;
        String ident = logName == null || Globals.unquote(logName).isBlank() ? "kemi" : Globals.unquote(logName).trim();
        SyslogAppender syslog;
        try {
            syslog = new SyslogAppender(socket, ident, facility == null ? null : Globals.unquote(facility));
        } catch (IllegalStateException e) {
            err.println("warning: cannot log to " + socket + " (" + e.getMessage() + "): logging to stderr");
            return false;
        }
        syslog.setContext(lc);
        syslog.setName("SYSLOG");
        syslog.start();
        Logger root = lc.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        List<Appender<ILoggingEvent>> old = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) old.add(it.next());
        root.addAppender(syslog);
        for (Appender<ILoggingEvent> a : old) {
            root.detachAppender(a);
            a.stop();
        }
        return true;
    }
}
