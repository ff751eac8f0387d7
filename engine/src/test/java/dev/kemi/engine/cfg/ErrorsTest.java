package dev.kemi.engine.cfg;

import static org.junit.jupiter.api.Assertions.*;

import dev.kemi.api.ScriptException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Load-time errors: each must name main.cfg, the line and column, and the reason. */
class ErrorsTest {
    @TempDir Path dir;
    CfgTesting cfg;

    @BeforeEach
    void setUp() {
        cfg = new CfgTesting(dir);
    }

    static Stream<Arguments> errors() {
        // text (after the 2 loadmodule lines), line, column, expected message part
        return Stream.of(
                Arguments.of("request_route {\n  nope();\n}", 4, 3, "unknown command 'nope'"),
                Arguments.of("request_route {\n  f(1, 2);\n}", 4, 3, "'f' called with 2 parameter(s), accepts [1]"),
                Arguments.of("request_route {\n  rec();\n}", 4, 3, "accepts [1, 2]"),
                Arguments.of("request_route {\n  route(X);\n}", 4, 9, "route 'X' is not defined"),
                Arguments.of("request_route {\n  if (route(X)) { }\n}", 4, 13, "route 'X' is not defined"),
                Arguments.of("request_route {\n  $foo = 1;\n}", 4, 3, "unknown pseudo-variable $foo"),
                Arguments.of("request_route {\n  rec(\"x $foo(bar)\");\n}", 4, 7, "unknown pseudo-variable $foo(bar)"),
                Arguments.of("request_route {\n  $hdr(X) = 1;\n}", 4, 3, "read only pvar"),
                Arguments.of("request_route {\n  $rc = 1;\n}", 4, 3, "read only pvar"),
                Arguments.of("request_route {\n  f(\"abc\");\n}", 4, 5, "must be an integer"),
                Arguments.of("request_route {\n  if ($ru =~ \"(\") { }\n}", 4, 14, "bad regular expression"),
                Arguments.of("request_route {\n  rec(\"a\") rec(\"b\");\n}", 4, 12, "';' expected"),
                Arguments.of("request_route {\n  rec;\n}", 4, 3, "'(' ')' expected"),
                Arguments.of("request_route {\n  if (1) { rec(\"a\");\n}", 3, 15, "unclosed '{' of request_route"),
                Arguments.of("request_route {\n  $var(x) = foo;\n}", 4, 13, "unexpected identifier 'foo'"),
                Arguments.of("request_route {\n  $var(x) = 1 +;\n}", 4, 16, "unexpected ';'"),
                Arguments.of("failure_route[F] {\n  req_only();\n}\nrequest_route { t_on_failure(\"F\"); }", 4, 12,
                        "Command cannot be used in the block: req_only() in failure_route[F]"),
                Arguments.of("route[S] {\n  fail_only();\n}\nrequest_route { route(S); }", 4, 13,
                        "Command cannot be used in the block: fail_only() in route[S]"),
                Arguments.of("request_route { }\nrequest_route { }", 4, 1, "duplicate request_route"),
                Arguments.of("\nroute { }\nroute[0] { }", 5, 1, "duplicate request_route"),
                Arguments.of("children=4\nchildrn=4", 4, 1, "unknown global parameter 'childrn'"),
                Arguments.of("\nloadmodule \"nope.so\"", 4, 12, "could not find module <nope>"),
                Arguments.of("modparam(\"tst\", \"p_int\", \"x\")", 3, 26, "needs an integer"),
                Arguments.of("modparam(\"tst\", \"p_str\", 1)", 3, 26, "needs a string"),
                Arguments.of("modparam(\"tst\", \"nope\", 1)", 3, 17, "no parameter 'nope'"),
                Arguments.of("modparam(\"rr\", \"x\", 1)", 3, 10, "not loaded"),
                Arguments.of("\ncfgengine \"python3\"", 4, 11, "Can't set config routing engine"),
                Arguments.of("#!ifdef X\n", 3, 1, "missing #!endif"),
                Arguments.of("#!endif\n", 3, 1, "#!endif without #!ifdef"),
                Arguments.of("#!define A 1\n#!define A 2\n", 4, 1, "redefinition of 'A'"),
                Arguments.of("include_file \"missing.cfg\"\n", 3, 1, "cannot open included file \"missing.cfg\""),
                Arguments.of("request_route {\n  rec(\"a);\n}", 4, 7, "unterminated string"),
                Arguments.of("\n /* a /* b */\n", 4, 2, "unterminated comment"),
                Arguments.of("request_route {\n  $var(x) = 0x;\n}", 4, 13, "bad number '0x'"),
                Arguments.of("request_route {\n  $var(x) = 0x1FFFFFFFF;\n}", 4, 13, "integer out of range"),
                Arguments.of("request_route {\n  if (src_ip == 999.0.0.1) { }\n}", 4, 17, "bad IP address 999.0.0.1"),
                Arguments.of("request_route {\n  if (to_port == 5060) { }\n}", 4, 7, "keyword 'to_port' is not supported here"),
                // Kamailio's static type check of constants
                Arguments.of("request_route {\n  $var(x) = 1 + \"2\";\n}", 4, 17, "type mismatch: str instead of int"),
                Arguments.of("request_route {\n  $var(x) = 10 == \"abc\";\n}", 4, 19, "type mismatch: str instead of int"),
                Arguments.of("request_route {\n  $var(x) = \"12\" > 9;\n}", 4, 13, "type mismatch: str instead of int"),
                Arguments.of("request_route {\n  $var(x) = 10 eq \"10\";\n}", 4, 19, "type mismatch: str instead of int"),
                Arguments.of("request_route {\n  $var(x) = 10 =~ $var(y);\n}", 4, 13, "type mismatch: int instead of str"),
                Arguments.of("request_route {\n  $var(x) = \"1\" ieq 1;\n}", 4, 13, "type mismatch: str instead of int"),
                Arguments.of("request_route {\n  $var(x) = strlen(12);\n}", 4, 20, "type mismatch: int instead of str"),
                Arguments.of("request_route {\n  if (!\"a\") { }\n}", 4, 8, "type mismatch: str instead of int"),
                Arguments.of("request_route {\n  $var(x) = $var(y) + (1 + 2) * \"3\";\n}", 4, 33, "type mismatch: str instead of int"));
    }

    /** Kamailio 5.6.3 starts with a warning when t_on_*() names a missing block (route() is an error). */
    static Stream<Arguments> warnings() {
        return Stream.of(
                Arguments.of("request_route {\n  t_on_failure(\"X\");\n}", 4, 16, "failure_route[X] is not defined"),
                Arguments.of("request_route {\n  t_on_branch(\"B\");\n}", 4, 15, "branch_route[B] is not defined"),
                Arguments.of("request_route {\n  t_on_reply(\"R\");\n}", 4, 14, "onreply_route[R] is not defined"),
                Arguments.of("request_route {\n  t_on_branch_failure(\"BF\");\n}", 4, 23,
                        "event_route[tm:branch-failure:BF] is not defined"));
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource("warnings")
    void warnsWithFileLineColumn(String text, int line, int col, String message) {
        List<String> w = cfg.load(text).warnings();
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.getFirst().contains(message), w.getFirst());
        assertTrue(w.getFirst().matches(".*main\\.cfg:" + line + ":" + col + ": .*"), w.getFirst());
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource("errors")
    void reportsFileLineColumn(String text, int line, int col, String message) {
        ScriptException e = assertThrows(ScriptException.class, () -> cfg.load(text));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals("main.cfg", Path.of(e.file()).getFileName().toString(), e.getMessage());
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(col, e.column(), e.getMessage());
        assertTrue(e.getMessage().startsWith(e.file() + ":" + line + ":" + col + ": "), e.getMessage());
    }
}
