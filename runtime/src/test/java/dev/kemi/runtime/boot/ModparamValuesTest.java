package dev.kemi.runtime.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.ScriptException;
import dev.kemi.engine.cfg.LoadedConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** modparam values as Kamailio reads them, and parameters we do not implement refused with file:line. */
class ModparamValuesTest {
    @TempDir
    Path dir;

    private LoadedConfig load(String modparams) throws Exception {
        Path f = dir.resolve("m.cfg");
        Files.writeString(f, "loadmodule \"tm.so\"\nloadmodule \"rr.so\"\n" + modparams + "\nrequest_route { exit; }\n");
        return ProxyLoader.load(f, Set.of());
    }

    @Test
    void booleanWordsAreIntegers() throws Exception {
        LoadedConfig lc = load("""
                modparam("tm", "auto_inv_100", yes)
                modparam("tm", "noisy_ctimer", off)
                modparam("rr", "append_fromtag", false)
                modparam("rr", "enable_full_lr", enable)
                modparam("tm", "restart_fr_on_each_reply", 0x1)""");
        assertEquals(5, lc.modparams().size());
        assertEquals(1, lc.modparams().getFirst().value());
        assertEquals(0, lc.modparams().get(2).value());
    }

    /** Kamailio's lexer knows the words in lower case only: YES is a parse error there too. */
    @Test
    void upperCaseWordsAreNotNumbers() {
        ScriptException e = assertThrows(ScriptException.class, () -> load("modparam(\"tm\", \"auto_inv_100\", YES)"));
        assertTrue(e.getMessage().contains("m.cfg:3"), e.getMessage());
    }

    @Test
    void unimplementedParametersAreRefusedWithTheirLine() throws Exception {
        ScriptException e = assertThrows(ScriptException.class, () -> load("modparam(\"tm\", \"tw_append\", \"x:hdr\")"));
        assertTrue(e.getMessage().contains("m.cfg:3") && e.getMessage().contains("tw_append is not supported"), e.getMessage());
        e = assertThrows(ScriptException.class, () -> load("modparam(\"tm\", \"callid_matching\", 1)"));
        assertTrue(e.getMessage().contains("callid_matching 1 is not supported"), e.getMessage());
        load("modparam(\"tm\", \"reparse_invite\", 1)\nmodparam(\"tm\", \"failure_reply_mode\", 3)");
        e = assertThrows(ScriptException.class, () -> load("modparam(\"tm\", \"delete_timer\", 200)"));
        assertTrue(e.getMessage().contains("has no parameter 'delete_timer'"), e.getMessage());
    }
}
