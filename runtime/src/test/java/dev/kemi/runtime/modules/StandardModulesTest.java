package dev.kemi.runtime.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.Module;
import dev.kemi.runtime.boot.ProxyLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandardModulesTest {
    /** As the composition root builds it: the runtime's modules plus app_python3 and app_jsdt. */
    private final StandardModules cat = ProxyLoader.catalog();

    @Test
    void theRuntimeAloneHasNoScriptEngineModules() {
        assertTrue(new StandardModules().create("app_python3").isEmpty());
        assertTrue(new StandardModules().create("tm").isPresent());
    }

    @Test
    void eachCatalogMakesItsOwnInstances() {
        assertNotSame(cat.create("tm").orElseThrow(), ProxyLoader.catalog().create("tm").orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> new StandardModules(Map.of("tm", Object::new)));
    }

    @Test
    void everyLoadNameGivesItsModule() {
        for (String name : List.of("sl", "maxfwd", "siputils", "textops", "pv", "xlog", "rr", "sanity", "kex", "corex",
                "kemix", "tm", "tmx", "rtpproxy", "app_python3", "app_jsdt", "textopsx", "cfg_rpc", "counters", "acc",
                "debugger")) {
            Object m = cat.create(name + ".so").orElseThrow(() -> new AssertionError(name));
            assertEquals(name, m.getClass().getAnnotation(Module.class).loadName());
        }
        assertTrue(cat.create("nosuch").isEmpty());
    }

    @Test
    void builtinsAreCoreHdrAndPv() {
        List<String> subs = cat.builtins().stream().map(o -> o.getClass().getAnnotation(Module.class).value()).toList();
        assertEquals(List.of("", "hdr", "pv", ""), subs); // the last is the cfg framework (no KSR functions)
    }

    @Test
    void allModulesTogetherHaveNoNameClashes() {
        List<Object> all = new java.util.ArrayList<>(cat.builtins());
        for (String name : List.of("sl", "maxfwd", "siputils", "textops", "pv", "xlog", "rr", "sanity", "kex", "corex",
                "kemix", "tm", "tmx", "rtpproxy", "app_python3", "app_jsdt")) {
            all.add(cat.create(name).orElseThrow());
        }
        dev.kemi.api.FunctionTable t = dev.kemi.api.FunctionTable.build(all);
        assertTrue(t.nativeFunction("t_relay", 0) != null && t.nativeFunction("sl_send_reply", 2) != null);
    }
}
