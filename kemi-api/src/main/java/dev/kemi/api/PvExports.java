package dev.kemi.api;

import java.util.Set;

/** A module that defines pseudo-variables ($ulc, $au, $sht ...), resolved like the core ones. */
public interface PvExports {
    /** The PV class names this module defines, without '$' (e.g. "sht", "shtex"). */
    Set<String> pvNames();

    /** @throws IllegalArgumentException for a bad parameter */
    Pv resolvePv(PvSpec spec);
}
