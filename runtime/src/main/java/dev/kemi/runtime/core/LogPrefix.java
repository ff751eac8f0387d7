package dev.kemi.runtime.core;

import dev.kemi.runtime.modules.pv.PvFormat;
import dev.kemi.runtime.modules.pv.PvModule;
import org.slf4j.MDC;

/**
 * log_prefix: printed from the received message once, before it is routed, and put in front of
 * every line logged while it is processed (logback's %X{log_prefix}), as Kamailio does.
 */
final class LogPrefix {
    static final String MDC_KEY = "log_prefix";
    private final PvFormat format;

    private LogPrefix(PvFormat format) {
        this.format = format;
    }

    /** Null when the cfg sets no log_prefix. */
    static LogPrefix of(ProxyServices services) {
        String text = services.globalParam("log_prefix");
        PvModule pv = services.functions() == null ? null : services.functions().module(PvModule.class);
        if (text == null || text.isEmpty() || pv == null) return null;
        return new LogPrefix(new PvFormat(Globals.unquote(text), pv.provider()));
    }

    void set(MessageContext ctx) {
        try {
            MDC.put(MDC_KEY, format.print(ctx));
        } catch (RuntimeException e) {
            MDC.remove(MDC_KEY);
        }
    }

    static void clear() {
        MDC.remove(MDC_KEY);
    }
}
