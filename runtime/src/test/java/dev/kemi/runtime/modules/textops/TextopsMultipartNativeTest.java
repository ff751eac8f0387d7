package dev.kemi.runtime.modules.textops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.boot.ProxyLoader;
import dev.kemi.runtime.core.SipProxy;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multipart functions and regex_substring in a native cfg, relayed statelessly: the relayed
 * bodies and headers are what Kamailio 5.6.3 relayed for the same cfg and requests (captured
 * on loopback with kamailio -DD -E).
 */
class TextopsMultipartNativeTest {
    private static final String PROXY = "127.0.67.1", UAC = "127.0.67.2", UAS = "127.0.67.3";
    private static final String SDP = "v=0\r\nc=IN IP4 127.0.67.2\r\nm=audio 4000 RTP/AVP 0\r\n";
    private static final String MIXED = "--b1\r\nContent-Type: application/sdp\r\n\r\n" + SDP
            + "\r\n--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1--\r\n";
    private static final String CFG = """
            listen=udp:127.0.67.1:5060
            children=1
            loadmodule "textops.so"
            loadmodule "pv.so"
            request_route {
                if ($rU == "a") {
                    set_body_multipart();
                    append_body_part("hello", "text/plain", "render");
                } else if ($rU == "b") {
                    append_body_part("hello", "text/plain");
                } else if ($rU == "c") {
                    filter_body("text/plain");
                } else if ($rU == "d") {
                    remove_body_part("application/sdp");
                } else if ($rU == "e") {
                    get_body_part("application/sdp", "$var(p)");
                    set_body("$var(p)", "text/x");
                } else if ($rU == "f") {
                    $var(rc) = regex_substring("sip:alice@127.0.67.2:5060", "sip:([a-z]+)@([0-9.]+)", 2, 3, "$var(h)");
                    append_hf("X-RS: $var(rc) $var(h)\\r\\n");
                    regex_substring("sip:alice@127.0.67.2:5060", "^sip:([a-z]+)", 1, 2, "$var(h)");
                    $var(rc) = $rc;
                    append_hf("X-RS2: $var(rc)\\r\\n");
                }
                forward("127.0.67.3", 5060);
                exit;
            }
            """;

    @TempDir
    static Path dir;
    private static SipProxy proxy;
    private static DatagramSocket uac, uas;

    @BeforeAll
    static void start() throws Exception {
        Path f = dir.resolve("multipart.cfg");
        Files.writeString(f, CFG);
        proxy = SipProxy.start(ProxyLoader.proxyConfig(ProxyLoader.load(f, Set.of())));
        uac = new DatagramSocket(new InetSocketAddress(UAC, 5070));
        uas = new DatagramSocket(new InetSocketAddress(UAS, 5060));
        uas.setSoTimeout(5000);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) proxy.close();
        if (uac != null) uac.close();
        if (uas != null) uas.close();
    }

    /** Sends an INVITE to user u and returns the relayed one from its CSeq line on. */
    private static String relay(String u, String contentType, String body) throws Exception {
        String m = "INVITE sip:" + u + "@127.0.67.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.67.2:5070;branch=z9hG4bK-" + u + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:x@127.0.67.2>;tag=1\r\nTo: <sip:" + u + "@127.0.67.1>\r\nCall-ID: c-" + u
                + "\r\nCSeq: 1 INVITE\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        byte[] b = m.getBytes(StandardCharsets.ISO_8859_1);
        uac.send(new DatagramPacket(b, b.length, new InetSocketAddress(PROXY, 5060)));
        DatagramPacket p = new DatagramPacket(new byte[65535], 65535);
        uas.receive(p);
        String out = new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1);
        assertTrue(out.contains("Call-ID: c-" + u + "\r\n"), out);
        return out.substring(out.indexOf("CSeq: "));
    }

    @Test
    void setBodyMultipartThenAppendInOneRoute() throws Exception {
        assertEquals("CSeq: 1 INVITE\r\nContent-Length: 127\r\nContent-Type: multipart/mixed;boundary=\"unique-boundary-1\"\r\n"
                + "Mime-Version: 1.0\r\n\r\n--unique-boundary-1\r\nContent-Type: application/sdp\r\n\r\n" + SDP
                + "\r\n--unique-boundary-1\r\n", relay("a", "application/sdp", SDP));
    }

    @Test
    void appendBodyPartNormalisesTheBoundaries() throws Exception {
        assertEquals("CSeq: 1 INVITE\r\nContent-Type: multipart/mixed;boundary=b1\r\nContent-Length: 181\r\n\r\n"
                + "--b1\r\nContent-Type: application/sdp\r\n\r\n" + SDP + "\r\n--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
                + "--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1--\r\n", relay("b", "multipart/mixed;boundary=b1", MIXED));
    }

    @Test
    void filterAndRemoveBodyPart() throws Exception {
        assertEquals("CSeq: 1 INVITE\r\nContent-Type: multipart/mixed;boundary=\"b1\"\r\nContent-Length: 5\r\n\r\nhello",
                relay("c", "multipart/mixed;boundary=\"b1\"", MIXED));
        assertEquals("CSeq: 1 INVITE\r\nContent-Type: multipart/mixed;boundary=b1\r\nContent-Length: 49\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1--\r\n", relay("d", "multipart/mixed;boundary=b1", MIXED));
    }

    @Test
    void getBodyPartIntoAVariable() throws Exception {
        String out = relay("e", "multipart/mixed;boundary=b1", MIXED);
        assertTrue(out.contains("Content-Length: 54\r\n"), out);
        assertTrue(out.contains("Content-Type: text/x\r\n"), out);
        assertTrue(out.endsWith("\r\n\r\n\r\n" + SDP + "\r\n"), out);
    }

    @Test
    void regexSubstringAsKamailio() throws Exception {
        String out = relay("f", "application/sdp", SDP);
        assertTrue(out.contains("\r\nX-RS: 1 127.0.67.2\r\nX-RS2: -2\r\n\r\n"), out);
    }
}
