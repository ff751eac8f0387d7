package dev.kemi.tests.control;

import static org.junit.jupiter.api.Assertions.*;

import dev.kemi.runtime.boot.ProxyLoader;
import dev.kemi.runtime.core.SipProxy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * xhttp from a KEMI (JS) script: the event callback named by modparam event_callback gets
 * "xhttp:request"; KSR.xhttp.xhttp_reply, $hu, $hdr and KSR.jsonrpcs.dispatch work as in the native cfg.
 */
class XhttpKemiTest {
    private static final int PORT = 15090;
    static SipProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("xhttp-kemi");
        Files.writeString(dir.resolve("logic.js"), """
                function ksr_request_route() {
                    KSR.sl.sl_send_reply(404, "Not here");
                }
                function ksr_xhttp_event(evname) {
                    if (KSR.xhttp_prom.check_uri() == 1) {
                        KSR.xhttp_prom.counter_inc_l1("scrapes", 1, "js");
                        KSR.xhttp_prom.dispatch();
                        return;
                    }
                    if (KSR.pv.get("$hu").indexOf("/RPC") == 0) {
                        KSR.jsonrpcs.dispatch();
                        return;
                    }
                    if (KSR.pv.get("$hu") == "/last") {
                        KSR.xhttp.xhttp_reply(200, "OK", "text/plain", "last=" + KSR.pv.get("$shv(xr)"));
                        return;
                    }
                    var r = KSR.xhttp.xhttp_reply(200, "OK", "text/plain", evname + " " + KSR.pv.get("$hu") + " " + KSR.pv.get("$hdr(X-Test)"));
                    KSR.pv.seti("$shv(xr)", r);
                }
                """);
        Path cfg = dir.resolve("kamailio.cfg");
        Files.writeString(cfg, """
                #!KAMAILIO
                children=1
                listen=tcp:127.0.16.6:%d
                tcp_accept_no_cl=yes
                loadmodule "sl.so"
                loadmodule "pv.so"
                loadmodule "xhttp.so"
                loadmodule "jsonrpcs.so"
                loadmodule "xhttp_prom.so"
                modparam("xhttp_prom", "xhttp_prom_stats", "sl:")
                modparam("xhttp_prom", "prom_counter", "name=scrapes; label=engine")
                loadmodule "app_jsdt.so"
                modparam("jsonrpcs", "transport", 1)
                modparam("jsonrpcs", "pretty_format", 0)
                modparam("xhttp", "event_callback", "ksr_xhttp_event")
                modparam("xhttp", "url_skip", "^/skip")
                modparam("app_jsdt", "load", "%s/logic.js")
                cfgengine "jsdt"
                """.formatted(PORT, dir));
        proxy = SipProxy.start(ProxyLoader.proxyConfig(ProxyLoader.load(cfg, Set.of())));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) proxy.close();
    }

    /** One request on a fresh connection; the whole response (the proxy closes after it when asked, else we read Content-Length). */
    private static String http(String request) throws Exception {
        try (Socket s = new Socket("127.0.16.6", PORT)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder head = new StringBuilder();
            int length = 0;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                head.append(line).append('\n');
                if (line.startsWith("Content-Length: ")) length = Integer.parseInt(line.substring(16).trim());
            }
            char[] body = new char[length];
            int n = 0;
            while (n < length) n += in.read(body, n, length - n);
            return head + "\n" + new String(body);
        }
    }

    @Test
    void theEventCallbackAnswers() throws Exception {
        String r = http("GET /abc HTTP/1.1\r\nHost: x\r\nX-Test: hello\r\n\r\n");
        assertTrue(r.startsWith("HTTP/1.1 200 OK\nSia: SIP/2.0/TCP "), r);
        assertTrue(r.contains("\nContent-Type: text/plain\n"), r);
        assertTrue(r.endsWith("\n\nxhttp:request /abc hello"), r);
    }

    /** 5.6.3's KEMI xhttp_reply is the C helper that returns 0 when sent (the native wrapper returns 1). */
    @Test
    void kemiXhttpReplyReturnsZeroWhenSent() throws Exception {
        http("GET /first HTTP/1.1\r\nHost: x\r\n\r\n");
        String r = http("GET /last HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(r.endsWith("\n\nlast=0"), r);
    }

    @Test
    void prometheusFromKemi() throws Exception {
        http("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        String r = http("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(r.startsWith("HTTP/1.1 200 OK\n"), r);
        assertTrue(r.contains("\nContent-Type: text/plain; version=0.0.4\n"), r);
        assertTrue(r.matches("(?s).*\nkamailio_scrapes\\{engine=\"js\"\\} 2 \\d+\n.*"), r);
        assertTrue(r.matches("(?s).*\nkamailio_sl_sent_replies \\d+ \\d+\n.*"), r);
    }

    @Test
    void jsonrpcDispatchFromKemi() throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"method\":\"core.uptime\",\"id\":5}";
        String r = http("POST /RPC HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        assertTrue(r.startsWith("HTTP/1.1 200 OK\n"), r);
        assertTrue(r.contains("\n\n{\"jsonrpc\":\"2.0\",\"result\":{\"now\":\""), r);
        assertTrue(r.endsWith(",\"id\":5}"), r);
    }
}
