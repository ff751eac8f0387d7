package dev.kemi.engine.cfg;

/**
 * One {@code name=value} line of the cfg. The value is the text as written, unquoted: integers in
 * decimal, booleans as written ("yes"), listen/alias the raw rest of the line.
 */
public record GlobalParam(String name, String value, String file, int line) {}
