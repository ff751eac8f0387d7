package dev.kemi.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On an {@code int} parameter: native cfg takes only a number literal here, as Kamailio's
 * fixup_int_N / fixup_uint_N parameters, and refuses a pseudo-variable at load with file:line
 * (Kamailio: "fixing failed"). Without it an int parameter also takes "$pv" (fixup_igp,
 * fixup_var_int), read per call.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface IntLiteral {}
