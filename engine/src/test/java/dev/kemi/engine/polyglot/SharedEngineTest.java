package dev.kemi.engine.polyglot;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class SharedEngineTest {
    /** Without the JIT flags GraalPy runs ~10x slower: fail loudly instead of degrading silently. */
    @Test
    void engineIsCompiledNotInterpreted() {
        assertNotEquals("Interpreted", SharedEngine.implementationName());
    }
}
