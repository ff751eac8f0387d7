package dev.kemi.runtime.core;

import java.util.List;
import java.util.Set;

/**
 * Core parameters whose other values we do not implement: refused at startup with file:line
 * instead of being accepted and ignored. The values Debian's stock kamailio.cfg sets pass.
 */
public final class GlobalChecks {
    private static final Set<String> FACILITIES = Set.of("LOG_AUTH", "LOG_CRON", "LOG_DAEMON", "LOG_KERN", "LOG_LOCAL0",
            "LOG_LOCAL1", "LOG_LOCAL2", "LOG_LOCAL3", "LOG_LOCAL4", "LOG_LOCAL5", "LOG_LOCAL6", "LOG_LOCAL7", "LOG_LPR",
            "LOG_MAIL", "LOG_NEWS", "LOG_USER", "LOG_UUCP", "LOG_AUTHPRIV", "LOG_FTP", "LOG_SYSLOG");

    private GlobalChecks() {}

    /** @throws dev.kemi.api.ScriptException naming the line of a refused value */
    public static void check(Globals g) {
        refuseYes(g, "enable_sctp", "SCTP is not supported");
        for (Globals.Setting s : g.all("log_facility")) {
            if (!FACILITIES.contains(Globals.unquote(s.value()).trim())) throw s.error("log_facility: unknown syslog facility " + s.value());
        }
        g.boolValue("log_stderror", false); // a word that is not a boolean fails here; `kemi run` acts on it (LogTarget)
    }

    private static void refuseYes(Globals g, String name, String why) {
        List<Globals.Setting> s = g.all(name);
        if (!s.isEmpty() && g.boolValue(name, false)) throw s.get(s.size() - 1).error(name + "=yes: " + why);
    }
}
