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

    /** Only in native cfg (e.g. {@code t_relay_cancel}, {@code t_relay(host, port)}). */
    boolean nativeOnly() default false;

    /** Only in KEMI (e.g. {@code t_relay_to_proxy}). */
    boolean kemiOnly() default false;

    /** Route types where the function may be used (bit set of {@link RouteType}). */
    int routes() default RouteType.ANY;
}
