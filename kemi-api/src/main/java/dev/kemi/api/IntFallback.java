package dev.kemi.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On an {@code int} parameter: the value a native cfg call uses when the pseudo-variable given
 * for it does not hold an integer (Kamailio's get_int_fparam fails), as sl_send_reply falls back
 * to 500. Without it such a call fails with -1.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface IntFallback {
    int value();
}
