package dev.kemi.tests.stockcfg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.rpc.ProxyRpc;
import dev.kemi.runtime.rpc.RpcException;
import dev.kemi.runtime.rpc.RpcRegistry;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.SipWire;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cfg framework, cfg_rpc, counters, textopsx and corex as the stock cfg and its users use
 * them, on the wire and over RPC: custom cfg variables read by $sel(cfg_get...) and changed by
 * cfg.sets/cfg.seti, script counters, fnmatch, keep_hf/remove_body on a relayed request.
 */
class StockModulesTest {
    private static final String PROXY = "127.0.17.50", CLIENT = "127.0.17.51", PEER = "127.0.17.52";
    private static ProxyUnderTest proxy;
    private static RpcRegistry rpc;
    private static DatagramSocket client;

    @BeforeAll
    static void start() throws IOException {
        proxy = ProxyUnderTest.start("""
                listen=udp:%s:5060
                auto_aliases=no
                server_id=7
                pstn.gw_ip = "" desc "PSTN GW Address"
                pstn.gw_port = 5080 desc "PSTN GW Port"
                loadmodule "tm.so"
                loadmodule "sl.so"
                loadmodule "pv.so"
                loadmodule "textops.so"
                loadmodule "textopsx.so"
                loadmodule "corex.so"
                loadmodule "kex.so"
                loadmodule "cfg_rpc.so"
                loadmodule "counters.so"
                modparam("counters", "script_counter", "probes Probes answered")
                modparam("counters", "script_counter", "app.gw:Gateway routing")
                request_route {
                    if (is_method("OPTIONS")) {
                        cnt_inc("probes");
                        cnt_add("app.gw", 5);
                        if (fnmatch("$rU", "ga*y")) append_to_reply("X-Fn: yes\\r\\n");
                        append_to_reply("X-Gw: [$sel(cfg_get.pstn.gw_ip)] $sel(cfg_get.pstn.gw_port) $stat(probes)\\r\\n");
                        sl_send_reply("200", "OK");
                        exit;
                    }
                    if (is_method("NOTIFY")) {
                        via_add_srvid(1);
                        setxflag(40);
                        if (isxflagset(40) && !isxflagset(41)) append_hf("X-Xflag: 40\r\n");
                        if (hf_value_exists("Supported", "timer")) include_hf_value("Supported", "path");
                        include_hf_value("Allow", "INVITE");
                        exclude_hf_value("Accept", "text/plain");
                        send_data("sip:$rd:$rp", "raw $rU");
                        t_relay();
                        exit;
                    }
                    if (is_method("INFO")) {
                        hf_iterator_start("i");
                        while (hf_iterator_next("i")) {
                            if ($hfitname(i) == "X-Rm") hf_iterator_rm("i");
                            if ($hfitname(i) == "X-After") hf_iterator_append("i", "X-Added: [$hfitbody(i)]\r\n");
                        }
                        bl_iterator_start("b");
                        while (bl_iterator_next("b")) {
                            if ($blitval(b) =~ "^secret") bl_iterator_rm("b");
                        }
                        t_relay();
                        exit;
                    }
                    keep_hf("^X-Keep");
                    remove_body();
                    t_relay();
                }
                """.formatted(PROXY));
        rpc = ProxyRpc.registry(proxy.proxy().functions(), Instant.now());
        client = new DatagramSocket(new InetSocketAddress(CLIENT, 0));
        client.setSoTimeout(5000);
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (proxy != null) proxy.close();
    }

    /** A fresh callee per test: tm's retransmissions to an earlier test's callee do not reach it. */
    private static DatagramSocket newPeer() throws IOException {
        DatagramSocket p = new DatagramSocket(new InetSocketAddress(PEER, 0));
        p.setSoTimeout(5000);
        return p;
    }

    private static String request(String method, String uri, String... extra) {
        StringBuilder b = new StringBuilder(method + " " + uri + " SIP/2.0\r\n")
                .append("Via: SIP/2.0/UDP ").append(CLIENT).append(':').append(client.getLocalPort())
                .append(";branch=z9hG4bK-").append(UUID.randomUUID()).append("\r\n")
                .append("Max-Forwards: 70\r\nFrom: <sip:t@").append(CLIENT).append(">;tag=1\r\nTo: <").append(uri).append(">\r\n")
                .append("Call-ID: ").append(UUID.randomUUID()).append("@t\r\nCSeq: 1 ").append(method).append("\r\n");
        for (String h : extra) b.append(h).append("\r\n");
        return b.toString();
    }

    private static void send(String msg) throws IOException {
        byte[] b = msg.getBytes(StandardCharsets.UTF_8);
        client.send(new DatagramPacket(b, b.length, new InetSocketAddress(PROXY, 5060)));
    }

    private static SipWire receive(DatagramSocket s) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[8192], 8192);
        s.receive(p);
        return SipWire.parse(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
    }

    private static SipWire options(String user, String... extra) throws IOException {
        send(request("OPTIONS", "sip:" + user + "@" + PROXY + ":5060", extra) + "Content-Length: 0\r\n\r\n");
        return receive(client);
    }

    @Test
    void cfgVariablesReadAndChangedOverRpc() throws IOException {
        assertEquals(List.of("pstn: gw_ip", "pstn: gw_port"), rpc.call("cfg.list", List.of()));
        assertEquals(Map.of("gw_ip", "", "gw_port", 5080), rpc.call("cfg.get", List.of("pstn")));
        assertEquals(List.of("PSTN GW Port", "(parameter type is integer)"), rpc.call("cfg.help", List.of("pstn", "gw_port")));
        rpc.call("cfg.sets", List.of("pstn", "gw_ip", "127.0.17.60"));
        rpc.call("cfg.set_now_int", List.of("pstn", "gw_port", 5090));
        assertEquals("127.0.17.60", rpc.call("cfg.get", List.of("pstn", "gw_ip")));
        assertTrue(options("x").header("X-Gw").startsWith("[127.0.17.60] 5090 "));
        RpcException e = assertThrows(RpcException.class, () -> rpc.call("cfg.seti", List.of("pstn", "nope", 1)));
        assertEquals(400, e.code());
        assertEquals("Failed to set the variable", e.getMessage());
        e = assertThrows(RpcException.class, () -> rpc.call("cfg.seti", List.of("pstn", "gw_port", "abc")));
        assertEquals(400, e.code());
    }

    @Test
    void scriptCountersOverRpc() throws IOException {
        int before = ((Number) rpc.call("cnt.get", List.of("script", "probes"))).intValue();
        SipWire r = options("gateway", "User-Agent: t");
        assertEquals("yes", r.header("X-Fn"));
        assertTrue(r.header("X-Gw").endsWith(" " + (before + 1)), r.header("X-Gw"));
        assertEquals(before + 1, rpc.call("cnt.get", List.of("script", "probes")));
        assertEquals(5 * (before + 1), rpc.call("cnt.get_raw", List.of("app", "gw")));
        assertEquals("Gateway routing", rpc.call("cnt.help", List.of("app", "gw")));
        assertTrue(((List<?>) rpc.call("cnt.grps_list", List.of())).containsAll(List.of("app", "script", "core", "sl")));
        rpc.call("cnt.reset", List.of("app", "gw"));
        assertEquals(0, rpc.call("cnt.get", List.of("app", "gw")));
        assertEquals(Map.of("gw", 0), rpc.call("cnt.grp_get_all", List.of("app")));
        RpcException e = assertThrows(RpcException.class, () -> rpc.call("cnt.get", List.of("app", "nope")));
        assertEquals("non-existent counter app.nope\n", e.getMessage());
    }

    @Test
    void noFnmatchWithoutTheGlob() throws IOException {
        assertEquals(null, options("gatewax").header("X-Fn"));
    }

    @Test
    void keepHfAndRemoveBodyOnARelayedRequest() throws IOException {
        try (DatagramSocket peer = newPeer()) {
            String body = "hello";
            send(request("MESSAGE", "sip:bob@" + PEER + ":" + peer.getLocalPort(), "X-Keep-Me: 1", "X-Drop-Me: 2",
                    "Subject: gone", "Content-Type: text/plain") + "Content-Length: " + body.length() + "\r\n\r\n" + body);
            SipWire out = receive(peer);
            assertEquals("MESSAGE", out.method());
            assertEquals("1", out.header("X-Keep-Me"));
            assertEquals(null, out.header("X-Drop-Me"));
            assertEquals(null, out.header("Subject"));
            assertEquals("text/plain", out.header("Content-Type"));
            assertEquals("0", out.header("Content-Length"));
            assertEquals("", out.body());
        }
    }

    @Test
    void headerAndBodyLineIterators() throws IOException {
        try (DatagramSocket peer = newPeer()) {
            String body = "a=1\nsecret=2\nc=3\n";
            send(request("INFO", "sip:bob@" + PEER + ":" + peer.getLocalPort(), "X-Rm: 1", "X-After: v 1",
                    "Content-Type: text/plain") + "Content-Length: " + body.length() + "\r\n\r\n" + body);
            SipWire out = receive(peer);
            assertEquals("INFO", out.method());
            assertEquals(null, out.header("X-Rm"));
            assertEquals("[v 1]", out.header("X-Added"));
            assertEquals("a=1\nc=3\n", out.body());
            assertEquals("8", out.header("Content-Length"));
        }
    }

    @Test
    void corexOnARelayedRequest() throws IOException {
        try (DatagramSocket peer = newPeer()) {
            send(request("NOTIFY", "sip:carol@" + PEER + ":" + peer.getLocalPort(), "Event: x", "Supported: 100rel, Timer",
                    "Accept: application/sdp, text/plain, \"a,b\"") + "Content-Length: 0\r\n\r\n");
            // send_data's datagram leaves before the relayed request
            DatagramPacket raw = new DatagramPacket(new byte[2048], 2048);
            peer.receive(raw);
            assertEquals("raw carol", new String(raw.getData(), 0, raw.getLength(), StandardCharsets.UTF_8));
            SipWire out = receive(peer);
            assertEquals("NOTIFY", out.method());
            assertTrue(out.headers("Via").get(0).endsWith(";srvid=7"), out.headers("Via").toString());
            assertEquals("40", out.header("X-Xflag"));
            assertEquals("100rel, Timer,path", out.header("Supported"));
            assertEquals("INVITE", out.header("Allow"));
            assertEquals("application/sdp, \"a,b\"", out.header("Accept"));
        }
    }
}
