package dev.kemi.tests.reload;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.SipRequests;
import dev.kemi.tests.SipWire;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The same app_jsdt script with require()d helper modules on Kamailio 5.6.3 and on Kemi Proxy,
 * from the same directory: what the modules resolve to, export and throw must match. The
 * requires run on the first request (so the subdirectory can be written after our proxy loaded).
 */
class JsRequireOnKamailioTest {
    private static final String CFG = """
            #!KAMAILIO
            listen=udp:127.0.0.1:{port}
            children=1
            loadmodule "sl.so"
            loadmodule "pv.so"
            loadmodule "app_jsdt.so"
            modparam("app_jsdt", "load", "{dir}/main.js")
            cfgengine "jsdt"
            """;
    /** ES5: Kamailio's Duktape has no let or arrow functions. */
    private static final String MAIN = """
            var out = null;
            function probe() {
                var h = require('helper');
                var r = 'name=' + h.name + ' same=' + (h === require('./helper.js')) + ' util=' + require('lib/util').twice(21)
                    + ' inner=' + require('lib/util').inner + ' main=' + typeof require.main
                    + ' keys=' + Object.keys(require.cache).length + ' dotdot=' + require('lib/../inner.js').v;
                try { require('nosuch'); } catch (e) { r += ' nosuch=' + e + '|' + (e instanceof Error); }
                try { require('bad'); } catch (e) { r += ' bad=' + e.name + ' cached=' + (require.cache[h.dir + '/bad.js'] !== undefined); }
                try { h.boom(); } catch (e) { r += ' boom=' + e.message; }
                return r;
            }
            function ksr_request_route() {
                if (out === null) out = probe();
                KSR.hdr.append_to_reply('X-Out: ' + out + '\\r\\n');
                KSR.sl.sl_send_reply(200, 'OK');
            }
            """;
    private static final Map<String, String> FILES = Map.of(
            "main.js", MAIN,
            "helper.js", "#!shebang line\nexports.name = (typeof __dirname) + ':' + (__filename === module.id) + ':' + (this === exports)"
                    + " + ':' + module.loaded;\nexports.dir = __filename.substring(0, __filename.lastIndexOf('/'));\n"
                    + "exports.boom = function () { throw new Error('boom in helper'); };\n",
            "inner.js", "exports.v = 'top-inner';\n",
            "bad.js", "exports.a = 1;\nundefinedFunction();\n");

    @Test
    void requireBehavesAsOnKamailio() throws Exception {
        assertTrue(Kamailio.installed(), "kamailio not installed: ./kemi test installs it");
        try (ProxyUnderTest ours = ProxyUnderTest.start(CFG, FILES)) {
            Path dir = ours.cfgFile().getParent();
            Files.createDirectories(dir.resolve("lib"));
            Files.writeString(dir.resolve("lib/util.js"), "var inner = require('inner');\n"
                    + "module.exports = { twice: function (x) { return 2 * x; }, inner: inner.v };\n");
            Files.writeString(dir.resolve("lib/inner.js"), "exports.v = 'lib-inner';\n");
            int port = ProxyUnderTest.freePort();
            Path cfg = dir.resolve("kamailio-ref.cfg");
            Files.writeString(cfg, CFG.replace("{port}", Integer.toString(port)).replace("{dir}", dir.toString()));
            try (Kamailio kamailio = Kamailio.startBound(cfg, dir, List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)))) {
                String theirs = out(port);
                assertEquals("name=undefined:true:false:false same=true util=42 inner=lib-inner main=undefined keys=3"
                        + " dotdot=top-inner nosuch=Error: Could not resolve module 'nosuch'|true bad=ReferenceError cached=false"
                        + " boom=boom in helper", theirs, "Kamailio 5.6.3");
                assertEquals(theirs, out(ours.port()));
            }
        }
    }

    /** X-Out of the reply to an OPTIONS to the proxy on that port. */
    private static String out(int port) throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(30_000); // a worker's first request creates its context and runs the requires
            byte[] req = ("OPTIONS sip:127.0.0.1:" + port + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + s.getLocalPort()
                    + ";branch=" + SipRequests.branch() + "\r\nFrom: <sip:t@127.0.0.1>;tag=r\r\nTo: <sip:127.0.0.1>\r\n"
                    + "Call-ID: " + SipRequests.callId() + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(req, req.length, InetAddress.getLoopbackAddress(), port));
            DatagramPacket reply = new DatagramPacket(new byte[8192], 8192);
            s.receive(reply);
            SipWire w = SipWire.parse(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8));
            assertEquals(200, w.status(), w.text());
            return w.header("X-Out");
        }
    }
}
