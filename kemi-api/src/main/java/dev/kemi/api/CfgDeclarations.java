package dev.kemi.api;

/**
 * The cfg framework's receiver of custom variables declared in kamailio.cfg
 * ({@code group.var = value desc "text"}): a builtin module implements it and the cfg loader
 * hands it every declaration before the routes are compiled.
 */
public interface CfgDeclarations {
    /**
     * @param value Integer or String, as written
     * @param description the {@code desc} text, or ""
     * @throws IllegalArgumentException for a declaration Kamailio refuses (declared twice ...)
     */
    void declare(String group, String name, Object value, String description);
}
