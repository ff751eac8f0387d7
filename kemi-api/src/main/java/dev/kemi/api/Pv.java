package dev.kemi.api;

/** A resolved pseudo-variable. Values are Integer, String or null ($null). */
public interface Pv {
    Object get(ScriptContext ctx);

    /** Assigns; null means $null. Read-only variables throw {@link UnsupportedOperationException}. */
    default void set(ScriptContext ctx, Object value) {
        throw new UnsupportedOperationException("read-only pseudo-variable");
    }

    default boolean writable() {
        return false;
    }
}
