package dev.kemi.runtime.modules.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class QValueTest {
    @Test
    void parsesAsStr2q() {
        assertEquals(500, QValue.parse("0.5"));
        assertEquals(1000, QValue.parse("1"));
        assertEquals(1000, QValue.parse("1.000"));
        assertEquals(123, QValue.parse("0.123"));
        assertEquals(700, QValue.parse(".7"));
        assertEquals(0, QValue.parse("0"));
        assertEquals(-1, QValue.parse("2"));
        assertEquals(-1, QValue.parse("1.5"));
        assertEquals(-1, QValue.parse("x"));
    }

    @Test
    void printsAsQ2str() {
        assertEquals("0.5", QValue.toText(500));
        assertEquals("0.05", QValue.toText(50));
        assertEquals("0.123", QValue.toText(123));
        assertEquals("1", QValue.toText(1000));
        assertEquals("0", QValue.toText(0));
        assertEquals("", QValue.toText(-1));
    }
}
