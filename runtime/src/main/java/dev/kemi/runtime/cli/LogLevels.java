package dev.kemi.runtime.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Kamailio's debug= level applied to our loggers. */
public final class LogLevels {
    private LogLevels() {}

    /** debug=: -1 or lower ERROR, 0 WARN, 1-2 (NOTICE, INFO) INFO, 3 and up DEBUG. Null: leave as configured. */
    public static void apply(String debug) {
        if (debug == null) return;
        int d;
        try {
            d = Integer.parseInt(debug.trim());
        } catch (NumberFormatException e) {
            return;
        }
        Level level = d <= -1 ? Level.ERROR : d == 0 ? Level.WARN : d <= 2 ? Level.INFO : Level.DEBUG;
        if (LoggerFactory.getLogger("dev.kemi") instanceof Logger l) l.setLevel(level);
        if (LoggerFactory.getLogger("kemi") instanceof Logger l) l.setLevel(level);
        // acc's lines have their own level (log_level), checked by acc
        if (LoggerFactory.getLogger("kemi.acc") instanceof Logger l) l.setLevel(Level.DEBUG);
    }
}
