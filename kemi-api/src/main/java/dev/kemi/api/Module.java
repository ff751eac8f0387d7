package dev.kemi.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a module class. {@code value} is its KEMI sub-object name ({@code "tm"} for
 * {@code KSR.tm}); the empty string is the core ({@code KSR.*}).
 * {@code loadName} is the name {@code loadmodule} accepts (with or without ".so");
 * empty means the module is always present (core, hdr, pv, x).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Module {
    String value();

    String loadName() default "";
}
