package dev.kemi.engine.cfg;

import static org.junit.jupiter.api.Assertions.*;

import dev.kemi.api.ScriptException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessorTest {
    @TempDir Path dir;
    CfgTesting cfg;

    @BeforeEach
    void setUp() {
        cfg = new CfgTesting(dir);
    }

    @Test
    void defineSubstitutesIdentifiers() {
        LoadedConfig c = cfg.load("""
                #!KAMAILIO
                #!define MY_IP 127.0.0.1
                #!define MY_PORT 5070
                #!define LISTEN udp:MY_IP:MY_PORT
                #!define REPLY sl_send_reply("404", "Not here")
                #!define EMPTY
                listen=LISTEN
                request_route { EMPTY REPLY; route(MY_PORT); }
                route[MY_PORT] { rec("sub"); }
                """);
        assertEquals(List.of(new ListenSpec("udp", "127.0.0.1", 5070, null, 0, null)), c.listens());
        assertEquals(List.of("sl_send_reply:404 Not here", "sub"), cfg.request(c).calls);
    }

    @Test
    void ifdefWithCommandLineDefines() {
        String text = """
                #!ifdef WITH_A   # the feature
                #!define MSG "a" # comment
                #!else
                #!define MSG "not a"
                #!endif
                !!ifndef WITH_B
                request_route { rec(MSG); }
                !!else
                request_route { rec("b " + MSG); this is skipped "and need not lex
                !!endif
                #!ifdef OUTER
                #!ifdef WITH_A
                children=1
                #!endif
                #!endif
                """;
        assertEquals(List.of("not a"), cfg.request(cfg.load(text)).calls);
        assertEquals(List.of("a"), cfg.request(cfg.load(text, "WITH_A")).calls);
        LoadedConfig ab = cfg.load(text.replace("this is skipped \"and need not lex", "}"), "WITH_A", "WITH_B", "OUTER");
        assertEquals(List.of("b a"), cfg.request(ab).calls);
        assertEquals("1", ab.global("children"));
        assertNull(cfg.load(text, "WITH_A").global("children"));
        assertEquals(List.of("x"), cfg.request(cfg.load("request_route { rec(VALUE); }", "VALUE=\"x\"")).calls);
    }

    @Test
    void includeFormsAndRelativeResolution() {
        cfg.write("sub/dir/a.cfg", "children=2\ninclude_file \"b.cfg\"\n");
        cfg.write("sub/dir/b.cfg", "tcp_children=3\n");
        cfg.write("sub/body.cfg", "rec(\"from include\");\n");
        cfg.write("sub/routes.cfg", "route[X] { rec(\"x\"); }\n");
        LoadedConfig c = cfg.load("include_file \"" + dir.resolve("sub/dir/a.cfg") + "\"\n"
                + "#!include_file \"" + dir.resolve("sub/routes.cfg") + "\"\n"
                + "import_file \"missing.cfg\"\n#!import_file \"missing.cfg\"\n!!import_file \"missing.cfg\"\n"
                + "request_route {\n  include_file \"sub/body.cfg\"\n  route(X);\n}\n");
        assertEquals("2", c.global("children"));
        assertEquals("3", c.global("tcp_children"));
        GlobalParam g = c.globals().get(1);
        assertEquals("b.cfg", Path.of(g.file()).getFileName().toString());
        assertEquals(1, g.line());
        assertEquals(List.of("from include", "x"), cfg.request(c).calls);
    }

    @Test
    void errorsInsideIncludesNameTheIncludedFile() {
        cfg.write("inc.cfg", "children=1\n\n  nope=2\n");
        ScriptException e = assertThrows(ScriptException.class, () -> cfg.load("!!include_file \"inc.cfg\"\n"));
        assertEquals("inc.cfg", Path.of(e.file()).getFileName().toString());
        assertEquals(3, e.line());
        assertEquals(3, e.column());
    }

    @Test
    void includeDepthTenIsTheLimit() {
        for (int i = 1; i <= 11; i++) {
            String next = i < 11 ? "include_file \"l" + (i + 1) + ".cfg\"\n" : "";
            cfg.write("l" + i + ".cfg", "# level " + i + "\n" + next);
        }
        cfg.load("include_file \"l2.cfg\"\n"); // main + l2..l11 = 10 nested includes
        ScriptException e = assertThrows(ScriptException.class, () -> cfg.load("include_file \"l1.cfg\"\n"));
        assertTrue(e.getMessage().contains("too many includes"), e.getMessage());
        assertEquals("l10.cfg", Path.of(e.file()).getFileName().toString());
        assertEquals(2, e.line());
        assertEquals(1, e.column());
    }

    @Test
    void predefinedVersionAndModuleNames() {
        LoadedConfig c = cfg.load("""
                #!ifdef MOD_tst
                children=1
                #!endif
                #!ifdef MOD_rr
                children=2
                #!endif
                #!ifdef KAMAILIO_5_6
                tcp_children=3
                #!endif
                """);
        assertEquals("1", c.global("children"));
        assertEquals("3", c.global("tcp_children"));
    }

    @Test
    void multiLineDefine() {
        LoadedConfig c = cfg.load("#!define TWO_CALLS rec(\"a\"); \\\n  rec(\"b\")\nrequest_route {\n  TWO_CALLS;\n  rec(\"c\");\n}\n");
        assertEquals(List.of("a", "b", "c"), cfg.request(c).calls);
        ScriptException e = assertThrows(ScriptException.class, () -> cfg.load(
                "#!define BAD nope() \\\n  x\nrequest_route {\n  BAD;\n}\n"));
        assertEquals(6, e.line()); // reported where the define is used
    }

    @Test
    void substdefReplacesInStringsAndDefines() {
        LoadedConfig c = cfg.load("""
                #!substdefs "/DOMAIN/example.com/"
                request_route { rec("sip:DOMAIN"); rec(DOMAIN); }
                """);
        assertEquals(List.of("sip:example.com", "example.com"), cfg.request(c).calls);
    }

    @Test
    void lexerKeepsColumnsAndComments() {
        LoadedConfig c = ConfigLoader.load(cfg.write("c.cfg", CfgTesting.MODULES + """
                /* block /* nested */
                   comment */ children = 4 // trailing
                # hash comment
                tcp_children=5;
                """), Set.of(), new Fakes.Catalog(), cfg.pvs, List.of());
        assertEquals(4, c.globals().getFirst().line());
        assertEquals("5", c.global("tcp_children"));
        cfg.write("bom.cfg", "\uFEFFchildren=2\r\ntcp_children=3\r\n");
        LoadedConfig bom = cfg.load("include_file \"bom.cfg\"\n");
        assertEquals("2", bom.global("children"));
        assertEquals("3", bom.global("tcp_children"));
    }
}
