package dev.kemi.engine.cfg;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ValuesTest {
    @Test
    void posixRegexes() {
        assertTrue(Values.regex("^(+|00)[1-9][0-9]{3,20}$").matcher("+4930123").find());
        assertTrue(Values.regex("^(+|00)[1-9]").matcher("0049").find());
        assertTrue(Values.regex("^[[:digit:]]+$").matcher("123").find());
        assertFalse(Values.regex("^[[:digit:]]+$").matcher("12a").find());
        assertTrue(Values.regex("[]a]").matcher("]").find());
        assertTrue(Values.regex("a[\\]").matcher("a\\").find());
        assertTrue(Values.regex("[^[:space:]]@").matcher("x@").find());
        assertTrue(Values.regex("^INVITE|ACK$").matcher("invite").find());
        assertTrue(Values.regex("\\.example\\.com$").matcher("sip.EXAMPLE.com").find());
        assertTrue(Values.regex("*x").matcher("a*x").find());
    }

    @Test
    void matchOperatorIsLinearTimeAndStackFree() {
        String value = "ab".repeat(2500);
        long t0 = System.nanoTime();
        assertTrue(Values.regex("^(a|b)*$").matcher(value).find());
        assertFalse(Values.regex("^(a|b)*$").matcher(value + "c").find());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 500, "took " + ms + " ms");
        // REG_EXTENDED|REG_ICASE without REG_NEWLINE: '.' matches a newline, $ only at the end
        assertTrue(Values.regex("a.b").matcher("a\nb").find());
        assertFalse(Values.regex("^b$").matcher("a\nb\nc").find());
    }

    @Test
    void ipLiteralsOnly() {
        assertArrayEquals(new byte[] {10, 0, 0, 1}, Exprs.ipBytes("10.0.0.1"));
        assertNull(Exprs.ipBytes("999.0.0.1"));
        assertNull(Exprs.ipBytes("example.com"));
        assertNull(Exprs.ipBytes("1.2.3"));
        assertEquals(16, Exprs.ipBytes("[::1]").length);
        assertNull(Exprs.ipBytes("fe80::zz"));
    }

    @Test
    void conversions() {
        assertEquals(0, Values.toInt(null));
        assertEquals(0, Values.toInt("abc"));
        assertEquals(12, Values.toInt("12"));
        assertEquals("", Values.toStr(null));
        assertEquals(-1, Values.code(Boolean.FALSE));
        assertEquals(1, Values.code(null));
    }
}
