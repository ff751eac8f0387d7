package dev.kemi.runtime.core;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * Log lines to the local syslog socket as glibc's syslog(3) writes them, which is where Kamailio
 * logs with log_stderror=no: {@code <PRI>Mmm dd hh:mm:ss ident[pid]: LEVEL: <component> ...},
 * the facility from log_facility (acc's lines carry their own in the MDC, as acc's log_facility).
 * A line the socket refuses goes to stderr, as LOG_CONS sends it to the console.
 */
final class SyslogAppender extends AppenderBase<ILoggingEvent> {
    private static final Map<String, Integer> FACILITIES = Map.ofEntries(Map.entry("LOG_KERN", 0), Map.entry("LOG_USER", 1),
            Map.entry("LOG_MAIL", 2), Map.entry("LOG_DAEMON", 3), Map.entry("LOG_AUTH", 4), Map.entry("LOG_SYSLOG", 5),
            Map.entry("LOG_LPR", 6), Map.entry("LOG_NEWS", 7), Map.entry("LOG_UUCP", 8), Map.entry("LOG_CRON", 9),
            Map.entry("LOG_AUTHPRIV", 10), Map.entry("LOG_FTP", 11), Map.entry("LOG_LOCAL0", 16), Map.entry("LOG_LOCAL1", 17),
            Map.entry("LOG_LOCAL2", 18), Map.entry("LOG_LOCAL3", 19), Map.entry("LOG_LOCAL4", 20), Map.entry("LOG_LOCAL5", 21),
            Map.entry("LOG_LOCAL6", 22), Map.entry("LOG_LOCAL7", 23));
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT);

    private final UnixDatagramSender socket;
    private final String ident;
    private final int facility;
    private final long pid = ProcessHandle.current().pid();
    private final PatternLayout layout = new PatternLayout();

    /** @param facility a LOG_* name (log_facility), null for Kamailio's default LOG_DAEMON */
    SyslogAppender(Path socketPath, String ident, String facility) {
        this.socket = new UnixDatagramSender(socketPath);
        this.ident = ident;
        this.facility = facility(facility, 3);
    }

    static int facility(String name, int dflt) {
        if (name == null) return dflt;
        Integer f = FACILITIES.get(name.trim().toUpperCase(Locale.ROOT));
        return f == null ? dflt : f;
    }

    @Override
    public void start() {
        layout.setContext(getContext());
        layout.setPattern("%level: <%logger{0}> [%thread]: %X{log_prefix}%msg");
        layout.start();
        super.start();
    }

    @Override
    public void stop() {
        super.stop();
        socket.close();
    }

    @Override
    protected void append(ILoggingEvent e) {
        String mdcFacility = e.getMDCPropertyMap().get("syslog_facility");
        int pri = (mdcFacility == null ? facility : facility(mdcFacility, facility)) * 8 + severity(e.getLevel());
        String line = layout.doLayout(e);
        byte[] datagram = ("<" + pri + ">" + STAMP.format(LocalDateTime.now()) + " " + ident + "[" + pid + "]: " + line)
                .getBytes(StandardCharsets.UTF_8);
        if (!socket.send(datagram)) System.err.println(ident + "[" + pid + "]: " + line);
    }

    /** syslog severities: err 3, warning 4, info 6, debug 7. */
    private static int severity(Level l) {
        return l.levelInt >= Level.ERROR_INT ? 3 : l.levelInt >= Level.WARN_INT ? 4 : l.levelInt >= Level.INFO_INT ? 6 : 7;
    }
}
