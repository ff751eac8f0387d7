package dev.kemi.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@code String} parameter: in native cfg a value that starts with a pseudo-variable is that
 * pseudo-variable alone, the rest ignored, as Kamailio's fixup_var_pve_str parameters
 * (sl_send_reply("404", "$rU not found") answers "404 alice"); other values are formats.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface LeadingPv {}
