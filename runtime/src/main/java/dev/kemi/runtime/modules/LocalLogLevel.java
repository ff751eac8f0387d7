package dev.kemi.runtime.modules;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Kamailio's per-process debug level (kex setdebug/resetdebug): here per worker thread, as a
 * worker is our process. A logback turbo filter lets a thread with a level of its own log what
 * that level allows, whatever the debug= level of the loggers.
 */
public final class LocalLogLevel {
    private static final ThreadLocal<Integer> LEVEL = new ThreadLocal<>();

    static {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext lc) lc.addTurboFilter(new Filter());
    }

    private LocalLogLevel() {}

    /** Sets this thread's Kamailio debug level (L_DBG 3 ... L_ALERT -5). */
    public static void set(int level) {
        LEVEL.set(level);
    }

    /** Back to the global debug= level. */
    public static void reset() {
        LEVEL.remove();
    }

    /** This thread's level, or null when it follows debug=. */
    public static Integer get() {
        return LEVEL.get();
    }

    private static final class Filter extends TurboFilter {
        @Override
        public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger, Level level, String format,
                                  Object[] params, Throwable t) {
            Integer local = LEVEL.get();
            if (local == null || level == null || !(logger.getName().startsWith("dev.kemi") || logger.getName().startsWith("kemi."))) {
                return FilterReply.NEUTRAL;
            }
            int kam = level.isGreaterOrEqual(Level.ERROR) ? ScriptLog.ERR : level == Level.WARN ? ScriptLog.WARN
                    : level == Level.INFO ? ScriptLog.INFO : ScriptLog.DBG;
            return kam <= local ? FilterReply.ACCEPT : FilterReply.DENY;
        }
    }
}
