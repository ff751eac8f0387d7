package dev.kemi.runtime.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PosixRegexTest {
    @Test
    void bracketClassesAndCaseInsensitivity() {
        assertTrue(PosixRegex.icase("^[[:digit:]]+$").matcher("0123").find());
        assertFalse(PosixRegex.icase("^[[:digit:]]+$").matcher("12a").find());
        assertTrue(PosixRegex.icase("^[[:alpha:][:space:]]+$").matcher("Hello World").find());
        assertTrue(PosixRegex.icase("^invite").matcher("INVITE sip:x").find());
    }

    @Test
    void posixLiteralsInsideBrackets() {
        // backslash and '[' are ordinary inside a POSIX bracket expression; ']' first is literal
        assertTrue(PosixRegex.icase("[\\]").matcher("a\\b").find());
        assertTrue(PosixRegex.icase("[]x]").matcher("]").find());
        assertTrue(PosixRegex.icase("[a&&b]").matcher("&").find());
        assertTrue(PosixRegex.icase("a{2}").matcher("aa").find());
        assertTrue(PosixRegex.icase("x{").matcher("x{").find());
    }

    @Test
    void wordBoundaries() {
        assertTrue(PosixRegex.icase("\\<bob\\>").matcher("to bob now").find());
        assertFalse(PosixRegex.icase("\\<bob\\>").matcher("bobby").find());
    }

    @Test
    void linearTimeOnInputThatMakesBacktrackingExplode() {
        String value = "ab".repeat(2500);
        long t0 = System.nanoTime();
        assertTrue(PosixRegex.icase("^(a|b)*$").matcher(value).find());
        assertFalse(PosixRegex.icase("^(a|b)*$").matcher(value + "c").find());
        assertFalse(PosixRegex.icase("^(a+)+$").matcher("a".repeat(5000) + "!").find());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 500, "three 5000-character matches took " + ms + " ms");
    }

    @Test
    void leftmostLongestAsGlibc() {
        var m = PosixRegex.icase("a|ab").matcher("abc");
        assertTrue(m.find());
        assertEquals("ab", m.group());
        var g = PosixRegex.compile("(a|ab)(c|bcd)", 0).matcher("abcd");
        assertTrue(g.find());
        assertEquals("abcd", g.group());
        // without REG_NEWLINE '.' matches a newline; with it, not (and ^/$ match at lines)
        assertTrue(PosixRegex.compile("a.b", 0).matcher("a\nb").find());
        assertFalse(PosixRegex.compile("a.b", PosixRegex.NEWLINE).matcher("a\nb").find());
    }

    @Test
    void invalidExpressionIsReported() {
        assertThrows(IllegalArgumentException.class, () -> PosixRegex.icase("([a-z]"));
        assertThrows(IllegalArgumentException.class, () -> PosixRegex.icase("[[:nope:]]"));
    }
}
