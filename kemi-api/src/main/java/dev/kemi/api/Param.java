package dev.kemi.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a module parameter: a one-argument setter taking {@code int} or {@code String}.
 * {@code modparam} with a value of the other type is a configuration error, as in Kamailio.
 * Parameters that may be given several times (e.g. {@code rtpproxy_sock}) get one call each.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Param {
    String value();
}
