package dev.kemi.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares one function of the KSR table. The Java method is the only implementation; the
 * native interpreter and the Python/JS hosts all dispatch to it.
 *
 * <p>The method's first parameter is the message context (a {@link ScriptContext}); the rest are
 * {@code int} or {@code String}. Its Java return type gives the KEMI type: {@code int} INT,
 * {@code boolean} BOOL, {@code void} NONE, {@code Object} XVAL (Integer, String or null).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Export {
    /** KEMI name; empty = the Java method name. */
    String value() default "";

    /**
     * Native cfg names, canonical first then aliases; empty = the KEMI name. Several Java methods
     * may share a native name with different arities (optional parameters).
     */
    String[] natives() default {};

    /**
     * Only in native cfg (e.g. {@code t_relay_cancel}, {@code t_relay(host, port)}): a native
     * overload Kamailio's KEMI does not have. It gets no KSR name; {@link #value} is ignored.
     */
    boolean nativeOnly() default false;

    /** Only in KEMI (e.g. {@code t_relay_to_proxy}). */
    boolean kemiOnly() default false;

    /**
     * The Kamailio module whose {@code cmd_export_t} has the native name, when that is not the
     * declaring module (core's KSR.setbflag is kex's {@code setbflag} in native cfg): the native
     * name exists only when that module is loaded, as in {@code kamailio -c}.
     */
    String nativeModule() default "";

    /**
     * Route types where the function may be used in native cfg (bit set of {@link RouteType}):
     * copy the flags of the function's entry in Kamailio 5.6.3's {@code cmd_export_t} table
     * ({@code REQUEST_ROUTE|FAILURE_ROUTE} becomes {@code RouteType.REQUEST | RouteType.FAILURE};
     * Kamailio's {@code EVENT_ROUTE} is {@link RouteType#EVENT_ROUTE}, which includes
     * REQUEST). {@code kemi check} rejects a call in a block these do not allow, as
     * {@code kamailio -c} does. KEMI calls are not restricted (Kamailio does not check them).
     */
    int routes() default RouteType.ANY;

    /**
     * The return codes the function can produce (INT functions), read from Kamailio's C function:
     * e.g. {@code returns = {1, -1}} for a plain test, {@code {1, 0, -1}} when 0 is possible.
     * They are part of the contract: in native cfg 0 ends the script and a negative code is
     * false; in KEMI neither holds (0 goes on, -1 is truthy in Python/JS). The KEMI lint warns
     * about an untested result of a function that may return 0 and about an int used as a
     * boolean when a negative code is possible. Empty = not declared (the lint then assumes any
     * int). Leave it empty for BOOL, XVAL and NONE functions.
     */
    int[] returns() default {};

    /**
     * The int result is a value, not a return code (a status code, a length, a timestamp:
     * {@code t_get_status_code}, {@code kx.get_msglen}); {@link #returns} then lists only its
     * error codes, if any (e.g. {@code {-1}}).
     */
    boolean intValue() default false;
}
