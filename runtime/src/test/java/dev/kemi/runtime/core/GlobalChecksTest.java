package dev.kemi.runtime.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.ScriptException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GlobalChecksTest {
    private static void check(String name, String value) {
        GlobalChecks.check(Globals.of(Map.of(name, List.of(value))));
    }

    @Test
    void kamailioDefaultsSpelledOutAreAccepted() {
        assertDoesNotThrow(() -> check("dns", "no"));
        assertDoesNotThrow(() -> check("dns_try_ipv6", "yes"));
        assertDoesNotThrow(() -> check("fork", "yes"));
        assertDoesNotThrow(() -> check("dns_retr_no", "-1"));
        assertDoesNotThrow(() -> check("memdbg", "5"));
        assertDoesNotThrow(() -> check("latency_limit_action", "100000"));
    }

    @Test
    void anotherValueOfADefaultOnlyParameterIsRefused() {
        ScriptException e = assertThrows(ScriptException.class, () -> check("dns_try_naptr", "yes"));
        assertTrue(e.getMessage().contains("dns_try_naptr=yes: not supported (only Kamailio's default, 0)"), e.getMessage());
        assertThrows(ScriptException.class, () -> check("fork", "no"));
        assertThrows(ScriptException.class, () -> check("sip_warning", "1"));
        // the IP TOS every SIP socket has (IPTOS_LOWDELAY); another value is refused
        check("tos", "0x10");
        check("tos", "16");
        assertThrows(ScriptException.class, () -> check("tos", "0x08"));
    }

    @Test
    void unsupportedParametersAreRefusedAtAnyValue() {
        ScriptException e = assertThrows(ScriptException.class, () -> check("max_branches", "12"));
        assertTrue(e.getMessage().contains("max_branches: core parameter not supported"), e.getMessage());
        assertThrows(ScriptException.class, () -> check("dns_cache_mem", "2048"));
    }

    @Test
    void theListsDoNotOverlap() {
        for (String n : GlobalChecks.NO_EFFECT) {
            assertTrue(!GlobalChecks.DEFAULT_ONLY.containsKey(n) && !GlobalChecks.UNSUPPORTED.containsKey(n), n);
        }
        for (String n : GlobalChecks.DEFAULT_ONLY.keySet()) assertTrue(!GlobalChecks.UNSUPPORTED.containsKey(n), n);
    }
}
