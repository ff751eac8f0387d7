package dev.kemi.runtime.modules;

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
    void invalidExpressionIsReported() {
        assertThrows(IllegalArgumentException.class, () -> PosixRegex.icase("([a-z]"));
        assertThrows(IllegalArgumentException.class, () -> PosixRegex.icase("[[:nope:]]"));
    }
}
