package dev.kemi.api;

/** Resolves pseudo-variable specs once (at parse time or on first KEMI use). */
public interface PvProvider {
    /** @throws IllegalArgumentException for an unknown name or a bad parameter */
    Pv resolve(PvSpec spec);
}
