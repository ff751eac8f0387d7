package dev.kemi.api;

import java.util.Optional;

/** What the runtime offers to {@code loadmodule}: new module instances by load name. */
public interface ModuleCatalog {
    /** @param loadName name without ".so" (e.g. "tm") */
    Optional<Object> create(String loadName);

    /** Modules present without loadmodule (core, hdr, pv, x ...). */
    java.util.List<Object> builtins();
}
