package dev.kemi.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@code String} parameter that names a pseudo-variable the function writes to (Kamailio's
 * fixup_pvar): native cfg passes the name as written ("$var(x)"), not its value.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface PvName {}
