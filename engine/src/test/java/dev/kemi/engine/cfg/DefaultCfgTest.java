package dev.kemi.engine.cfg;

import static org.junit.jupiter.api.Assertions.*;

import dev.kemi.api.ModuleCatalog;
import dev.kemi.api.Pv;
import dev.kemi.api.PvProvider;
import dev.kemi.api.RouteType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compiles the kamailio.cfg shipped with the installed Kamailio 5.6.3 (all its #!ifdef variants),
 * its loadmodule/modparam lines replaced by one module exporting every function it calls.
 */
class DefaultCfgTest {
    static final Path SHIPPED = Path.of("/etc/kamailio/kamailio.cfg");

    @TempDir Path dir;

    /** Takes the file's custom cfg variables (pstn.gw_ip ...). */
    @dev.kemi.api.Module("")
    static final class CfgVars implements dev.kemi.api.CfgDeclarations {
        final java.util.Map<String, Object> vars = new java.util.HashMap<>();

        @Override
        public void declare(String group, String name, Object value, String description) {
            vars.put(group + "." + name, value);
        }
    }

    static Stream<List<String>> variants() {
        List<String> all = List.of("WITH_DEBUG", "WITH_MYSQL", "WITH_AUTH", "WITH_IPAUTH", "WITH_USRLOCDB",
                "WITH_PRESENCE", "WITH_MSGREBUILD", "WITH_NAT", "WITH_PSTN", "WITH_ALIASDB", "WITH_SPEEDDIAL",
                "WITH_MULTIDOMAIN", "WITH_TLS", "WITH_JSONRPC", "WITH_ANTIFLOOD", "WITH_BLOCK3XX",
                "WITH_BLOCK401407", "WITH_VOICEMAIL", "WITH_ACCDB");
        return Stream.concat(Stream.of(List.of(), all, List.of("WITH_NAT", "WITH_RTPENGINE")), all.stream().map(List::of));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void compiles(List<String> defines) throws IOException {
        assertTrue(Files.isRegularFile(SHIPPED), "Kamailio's kamailio.cfg is not installed: ./kemi test installs it");
        String text = Files.readString(SHIPPED)
                .replaceAll("(?s)modparam\\((?:\"[^\"]*\"|[^()\"])*\\)", "")
                .replaceAll("loadmodule\\s+\"[^\"]*\"", "");
        Path cfg = dir.resolve("kamailio.cfg");
        Files.writeString(cfg, "loadmodule \"defaultcfg\"\n" + text);
        ModuleCatalog catalog = new ModuleCatalog() {
            public Optional<Object> create(String name) {
                return name.equals("defaultcfg") ? Optional.of(new DefaultCfgFunctions()) : Optional.empty();
            }

            public List<Object> builtins() {
                return List.of(new CfgVars());
            }
        };
        PvProvider anyPv = spec -> new Pv() {
            public Object get(dev.kemi.api.ScriptContext c) { return null; }
            public void set(dev.kemi.api.ScriptContext c, Object v) { }
            public boolean writable() { return true; }
        };
        LoadedConfig c = ConfigLoader.load(cfg, Set.copyOf(defines), catalog, anyPv, List.of());
        assertTrue(c.script().has(RouteType.REQUEST, ""));
        assertTrue(c.script().has(RouteType.FAILURE, "MANAGE_FAILURE"));
        assertEquals("8", c.global("children"));
        // a request with every PV undefined runs without escaping errors
        c.script().onRequest(new Fakes.Ctx());
    }
}
