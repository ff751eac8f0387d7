package dev.kemi.engine.cfg;

import static org.junit.jupiter.api.Assertions.*;

import dev.kemi.api.RouteType;
import dev.kemi.api.ScriptException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir Path dir;

    static final String BRIDGE = """
            ####### Global Parameters #########
            # Listen LAN
            listen = tcp:10.0.2.100:5060

            # Listen WAN
            listen = tcp:10.0.1.100:5060
            listen = udp:10.0.1.100:5060

            # TCP
            disable_tcp = no
            tcp_async = yes
            tcp_children = 2

            # Alias
            #alias="kamailio.example.com:5060"

            ####### Module Load   ########
            loadmodule "tm.so"
            loadmodule "tmx.so"
            loadmodule "rr.so"
            loadmodule "pv.so"
            loadmodule "textops.so"
            loadmodule "xlog.so"

            loadmodule "rtpproxy.so"

            ####### Module Configuration #######
            modparam("rtpproxy", "rtpproxy_sock", "udp:127.0.0.1:7722")

            ####### Routing Logic ########

            /* Main SIP request routing logic
             * - processing of any incoming SIP request starts with this route
             * - note: this is the same as route { ... } */
            request_route {
            	rtpproxy_manage('iewc');

              t_relay("10.0.2.200", "5060");
            }

            onreply_route{
            	if (has_body("application/sdp")) {
            		rtpproxy_manage("iewc");
            	}
            }
            """;

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    LoadedConfig load(Path p, String... defines) {
        return ConfigLoader.load(p, Set.of(defines), new Fakes.Catalog(), new Fakes.Pvs(), List.of());
    }

    ScriptException fails(String text) throws IOException {
        Path p = write("bad.cfg", text);
        return assertThrows(ScriptException.class, () -> load(p));
    }

    @Test
    void seedBridgeConfigLoads() throws IOException {
        LoadedConfig c = load(write("k.cfg", BRIDGE));
        assertEquals(List.of("tcp:10.0.2.100:5060", "tcp:10.0.1.100:5060", "udp:10.0.1.100:5060"), c.globalAll("listen"));
        assertEquals(new ListenSpec("udp", "10.0.1.100", 5060, null, 0, null), c.listens().get(2));
        assertEquals("no", c.global("disable_tcp"));
        assertFalse(c.globalBool("disable_tcp", true));
        assertTrue(c.globalBool("tcp_async", false));
        assertEquals(2, c.globalInt("tcp_children", 0));
        assertEquals("native", c.cfgEngine());
        assertEquals(List.of("udp:127.0.0.1:7722"), c.functions().module(Fakes.Rtpproxy.class).socks);
        assertEquals(5, c.modules().size() - 2); // tm tmx rr pv textops xlog rtpproxy
        assertTrue(c.script().has(RouteType.REQUEST, ""));
        assertTrue(c.script().has(RouteType.CORE_REPLY, ""));
        Fakes.Ctx req = new Fakes.Ctx();
        c.script().onRequest(req);
        assertEquals(List.of("rtpproxy_manage:iewc", "t_relay:10.0.2.200:5060"), req.calls);
        Fakes.Ctx reply = new Fakes.Ctx();
        c.script().onReply(reply);
        assertEquals(List.of("has_body:application/sdp", "rtpproxy_manage:iewc"), reply.calls);
        assertFalse(reply.dropped);
        assertEquals(2, c.globals().indexOf(c.globals().stream().filter(g -> g.name().equals("listen")).toList().get(2)));
        assertEquals(7, c.globals().get(2).line());
    }

    @Test
    void listenSyntax() throws IOException {
        LoadedConfig c = load(write("l.cfg", """
                port=5070
                listen=udp:127.0.0.1 tcp:127.0.0.2:5080 advertise 1.2.3.4:5090 name "out";
                listen=[::1]:5062
                listen=tls:127.0.0.1
                alias="sip.example.com:5060"
                alias=other.example.com
                """));
        assertEquals(List.of(
                // advertise and name apply to every address of the line (Kamailio 5.6.3 lists both so)
                new ListenSpec("udp", "127.0.0.1", 5070, "1.2.3.4", 5090, "out"),
                new ListenSpec("tcp", "127.0.0.2", 5080, "1.2.3.4", 5090, "out"),
                new ListenSpec(null, "::1", 5062, null, 0, null),
                new ListenSpec("tls", "127.0.0.1", 5061, null, 0, null)), c.listens());
        assertEquals(List.of(new ListenSpec(null, "sip.example.com", 5060, null, 0, null),
                new ListenSpec(null, "other.example.com", 0, null, 0, null)), c.aliases());
    }

    @Test
    void unknownGlobalParam() throws IOException {
        ScriptException e = fails("children=4\nchildrn=4\n");
        assertEquals("bad.cfg", Path.of(e.file()).getFileName().toString());
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("unknown global parameter 'childrn'"), e.getMessage());
    }

    @Test
    void globalTypes() throws IOException {
        assertTrue(fails("children=\"4\"\n").getMessage().contains("needs an integer"));
        assertTrue(fails("fork=maybe\n").getMessage().contains("needs yes/no"));
        assertTrue(fails("fork=\"yes\"\n").getMessage().contains("needs yes/no"));
        assertEquals(1, load(write("y.cfg", "children=yes\n")).globalInt("children", 0));
        LoadedConfig c = load(write("t.cfg", "debug=-1\nserver_header=\"Server: X\"\nlog_facility=LOG_LOCAL0\nkemi.reply_route_callback=\"none\"\n"));
        assertEquals(-1, c.globalInt("debug", 0));
        assertEquals("Server: X", c.global("server_header"));
        assertEquals("LOG_LOCAL0", c.global("log_facility"));
        assertEquals("none", c.global("kemi.reply_route_callback"));
    }

    @Test
    void unknownModule() throws IOException {
        ScriptException e = fails("loadmodule \"tm.so\"\nloadmodule \"/usr/lib/x/nope.so\"\n");
        assertEquals(2, e.line());
        assertEquals(12, e.column());
        assertTrue(e.getMessage().contains("nope"));
    }

    @Test
    void modparamChecks() throws IOException {
        LoadedConfig c = load(write("m.cfg", """
                loadmodule "/usr/lib/x86_64-linux-gnu/kamailio/modules/tst.so"
                loadmodule "tst"
                modparam("tst", "p_int", -5)
                modparam("tst", "p_str", "abc")
                """));
        Fakes.Tst t = c.functions().module(Fakes.Tst.class);
        assertEquals(-5, t.pInt);
        assertEquals("abc", t.pStr);
        assertEquals(-5, c.modparam("tst", "p_int"));

        LoadedConfig r = load(write("r.cfg", """
                loadmodule "tst"
                loadmodule "rtpproxy"
                modparam("rtpproxy|tst", "p_str", "both?")
                modparam("rtp.*|tst", "rtpproxy_sock", "udp:127.0.0.1:7722")
                """));
        assertEquals("both?", r.functions().module(Fakes.Tst.class).pStr);
        assertEquals(List.of("udp:127.0.0.1:7722"), r.functions().module(Fakes.Rtpproxy.class).socks);
        assertTrue(fails("loadmodule \"tst\"\nmodparam(\"tm|tst\", \"nope\", 1)\n").getMessage()
                .contains("no loaded module matching 'tm|tst' has parameter 'nope'"));

        ScriptException e = fails("loadmodule \"tst\"\nmodparam(\"tst\", \"p_int\", \"5\")\n");
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("needs an integer"), e.getMessage());
        assertTrue(fails("loadmodule \"tst\"\nmodparam(\"tst\", \"p_str\", 5)\n").getMessage().contains("needs a string"));
        assertTrue(fails("loadmodule \"tst\"\nmodparam(\"tst\", \"nope\", 5)\n").getMessage().contains("no parameter 'nope'"));
        assertTrue(fails("modparam(\"tm\", \"fr_timer\", 5)\n").getMessage().contains("not loaded"));
    }
}
