package dev.kemi.runtime.core;

import java.util.function.Function;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * log_prefix: printed from the received message once, before it is routed, and put in front of
 * every line logged while it is processed (logback's %X{log_prefix}), as Kamailio does.
 */
final class LogPrefix {
    static final String MDC_KEY = "log_prefix";
    private final Function<MessageContext, String> format;
    private final RateLimitedLog failures = new RateLimitedLog(LoggerFactory.getLogger(LogPrefix.class));

    private LogPrefix(Function<MessageContext, String> format) {
        this.format = format;
    }

    /** Null when the cfg sets no log_prefix. */
    static LogPrefix of(ProxyServices services) {
        String text = services.globalParam("log_prefix");
        MessageFormats pv = services.functions() == null ? null : services.optionalApi(MessageFormats.class).orElse(null);
        if (text == null || text.isEmpty() || pv == null) return null;
        return new LogPrefix(pv.compile(Globals.unquote(text)));
    }

    void set(MessageContext ctx) {
        try {
            MDC.put(MDC_KEY, format.apply(ctx));
        } catch (RuntimeException e) {
            // the message is still processed and logged, without the prefix
            MDC.remove(MDC_KEY);
            failures.warn("log_prefix", "log_prefix cannot be formatted for this message: " + e, null);
        }
    }

    static void clear() {
        MDC.remove(MDC_KEY);
    }
}
