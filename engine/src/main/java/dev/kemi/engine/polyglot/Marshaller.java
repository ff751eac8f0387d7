package dev.kemi.engine.polyglot;

import org.graalvm.polyglot.Value;

/** A language's argument conversion for KSR calls: strict in Python, coercive in JS. */
interface Marshaller {
    /** Argument {@code index} (0-based) of function {@code fn} as a string parameter. */
    String toStr(Value v, String fn, int index);

    /** Argument {@code index} of {@code fn} as an int parameter. */
    int toInt(Value v, String fn, int index);
}
