package dev.kemi.runtime.modules;

import dev.kemi.runtime.core.RateLimitedLog;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Script log output (core log functions and xlog), Kamailio levels mapped onto SLF4J. */
public final class ScriptLog {
    private static final Logger LOG = LoggerFactory.getLogger("kemi.script");

    /** Kamailio numeric levels: L_ALERT -5 ... L_ERR -1, L_WARN 0, L_NOTICE 1, L_INFO 2, L_DBG 3. */
    public static final int ALERT = -5, BUG = -4, CRIT2 = -3, CRIT = -2, ERR = -1, WARN = 0, NOTICE = 1, INFO = 2, DBG = 3;

    private ScriptLog() {}

    /** Level from "dbg|info|notice|warn|err|crit" (KEMI log), "L_INFO" (xlog) or a number; null if unknown. */
    public static Integer parseLevel(String s) {
        if (s == null) return null;
        String l = s.trim().toLowerCase(Locale.ROOT);
        if (l.startsWith("l_")) l = l.substring(2);
        return switch (l) {
            case "alert" -> ALERT;
            case "bug" -> BUG;
            case "crit2" -> CRIT2;
            case "crit" -> CRIT;
            case "err", "error" -> ERR;
            case "warn" -> WARN;
            case "notice" -> NOTICE;
            case "info" -> INFO;
            case "dbg", "debug" -> DBG;
            default -> {
                try {
                    yield Integer.parseInt(l);
                } catch (NumberFormatException e) {
                    yield null;
                }
            }
        };
    }

    /**
     * The script log, rate limited per key: for failures that may come with every message or
     * timer run. One per module instance (its state is that module's, not the JVM's).
     */
    public static RateLimitedLog throttled() {
        return new RateLimitedLog(LOG);
    }

    /** Logs text as given (one trailing newline dropped: SLF4J ends the line itself). */
    public static void log(int level, String text) {
        if (text == null) text = "<null>";
        if (text.endsWith("\n")) text = text.substring(0, text.length() - 1);
        if (level <= ERR) LOG.error(text);
        else if (level == WARN) LOG.warn(text);
        else if (level <= INFO) LOG.info(text);
        else LOG.debug(text);
    }
}
