package dev.kemi.engine.cfg;

/** One {@code modparam("module", "name", value)}: value is an Integer or a String. */
public record ModParam(String module, String name, Object value, String file, int line) {}
