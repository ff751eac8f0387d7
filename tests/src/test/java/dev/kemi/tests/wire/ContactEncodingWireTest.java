package dev.kemi.tests.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * siputils' Contact encodings (encode_contact / decode_contact / decode_contact_header and
 * contact_param_encode / _decode / _decode_ruri / _rm) on REGISTER and INVITE: what the next hop
 * gets from Kamailio 5.6.3 and from us, native cfg and KEMI (JS), is the same.
 */
class ContactEncodingWireTest {
    private static final String MODULES = """
            listen=udp:{addr}:5060
            children=1
            auto_aliases=no
            loadmodule "sl.so"
            loadmodule "pv.so"
            loadmodule "textops.so"
            loadmodule "siputils.so"
            """;
    private static final String NATIVE = MODULES + """
            request_route {
                $var(c) = $hdr(X-Case);
                if ($var(c) == "enc") $var(r) = encode_contact("pfx", "192.0.2.1");
                else if ($var(c) == "dec") $var(r) = decode_contact();
                else if ($var(c) == "dech") $var(r) = decode_contact_header();
                else if ($var(c) == "penc") $var(r) = contact_param_encode("ctx", "sip:{addr}:5060");
                else if ($var(c) == "pdec") $var(r) = contact_param_decode("ctx");
                else if ($var(c) == "pruri") $var(r) = contact_param_decode_ruri("ctx");
                else if ($var(c) == "prm") $var(r) = contact_param_rm("ob");
                append_hf("X-Ret: $var(r)\\r\\n");
                forward();
            }
            """;
    private static final String KEMI = MODULES + """
            loadmodule "app_jsdt.so"
            modparam("app_jsdt", "load", "{dir}/route.js")
            cfgengine "jsdt"
            """;
    private static final String JS = """
            function ksr_request_route() {
                var c = KSR.hdr.get("X-Case"), r = 0;
                if (c == "enc") r = KSR.siputils.encode_contact("pfx", "192.0.2.1");
                else if (c == "dec") r = KSR.siputils.decode_contact();
                else if (c == "dech") r = KSR.siputils.decode_contact_header();
                else if (c == "penc") r = KSR.siputils.contact_param_encode("ctx", "sip:{addr}:5060");
                else if (c == "pdec") r = KSR.siputils.contact_param_decode("ctx");
                else if (c == "pruri") r = KSR.siputils.contact_param_decode_ruri("ctx");
                else if (c == "prm") r = KSR.siputils.contact_param_rm("ob");
                KSR.hdr.append("X-Ret: " + r + "\\r\\n");
                KSR.forward();
            }
            """;
    private static KamailioPair nat;
    private static KamailioPair js;

    @BeforeAll
    static void start() {
        nat = new KamailioPair("127.0.25.1", "127.0.25.2", 5060, NATIVE, Map.of());
        js = new KamailioPair("127.0.25.3", "127.0.25.4", 5060, KEMI, Map.of("route.js", JS));
    }

    @AfterAll
    static void stop() {
        if (nat != null) nat.close();
        if (js != null) js.close();
    }

    private static final String CONTACT = "Contact: \"Al\" <sip:alice:pw@198.51.100.7:5071;transport=udp;ob>;expires=60, sip:a2@198.51.100.8;ob";

    @Test
    void encodeContactOnRegister() {
        assertEquals("Contact: \"Al\" <sip:pfx*alice*pw*198.51.100.7*5071*udp@192.0.2.1>;expires=60, sip:pfx*a2**198.51.100.8**@192.0.2.1;ob|X-Ret: 1",
                same("REGISTER", "enc", "sip:BOB", CONTACT));
    }

    @Test
    void decodeContactRewritesTheRuri() {
        assertEquals("INVITE sip:bob@BOB;transport=udp;lr SIP/2.0|X-Ret: 1",
                sameFirstLine("INVITE", "dec", "sip:pfx*bob**BOBHOST*5072*udp@198.51.100.9;lr", CONTACT));
    }

    @Test
    void decodeContactHeader() {
        assertEquals("Contact: <sip:alice@198.51.100.7:5071;transport=tcp>;expires=60|X-Ret: 1",
                same("INVITE", "dech", "sip:BOB", "Contact: <sip:x*alice**198.51.100.7*5071*tcp@192.0.2.1>;expires=60"));
        // not an encoded URI: an error code, the message unchanged
        assertEquals("Contact: <sip:alice@198.51.100.7>|X-Ret: -26", same("INVITE", "dech", "sip:BOB", "Contact: <sip:alice@198.51.100.7>"));
    }

    @Test
    void contactParamEncodeOnRegisterAndInvite() {
        String b = b64("sip:alice:pw@198.51.100.7:5071;transport=udp;ob");
        String b2 = b64("sip:a2@198.51.100.8");
        String want = "Contact: \"Al\" <sip:PROXY:5060;ctx=" + b + ">;expires=60, <sip:PROXY:5060;ctx=" + b2 + ">;ob|X-Ret: 1";
        assertEquals(want, same("REGISTER", "penc", "sip:BOB", CONTACT));
        assertEquals(want, same("INVITE", "penc", "sip:BOB", CONTACT));
    }

    @Test
    void contactParamDecodeAndRemove() {
        String b = b64("sip:alice@198.51.100.7:5071;transport=udp");
        assertEquals("Contact: <sip:alice@198.51.100.7:5071;transport=udp>;expires=60|X-Ret: 1",
                same("INVITE", "pdec", "sip:BOB", "Contact: <sip:192.0.2.1:5060;ctx=" + b + ">;expires=60"));
        assertEquals("Contact: \"Al\" <sip:alice:pw@198.51.100.7:5071;transport=udp>;expires=60, sip:a2@198.51.100.8;ob|X-Ret: 1",
                same("INVITE", "prm", "sip:BOB", CONTACT));
    }

    @Test
    void contactParamDecodeRuri() {
        assertEquals("INVITE sip:bob@BOB SIP/2.0|X-Ret: 1",
                sameFirstLine("INVITE", "pruri", "sip:PROXY:5060;ctx=CTX", CONTACT));
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String same(String method, String kase, String ruri, String contact) {
        return same(method, kase, ruri, contact, false);
    }

    private static String sameFirstLine(String method, String kase, String ruri, String contact) {
        return same(method, kase, ruri, contact, true);
    }

    /** Contact (or request line) and X-Ret as bob gets them from each of the four proxies; all equal. */
    private static String same(String method, String kase, String ruri, String contact, boolean firstLine) {
        String k = relayed(nat.kamailioAddr, "127.0.25.11", "127.0.25.12", method, kase, ruri, contact, firstLine);
        assertEquals(k, relayed(nat.oursAddr, "127.0.25.21", "127.0.25.22", method, kase, ruri, contact, firstLine), "native");
        String kj = relayed(js.kamailioAddr, "127.0.25.31", "127.0.25.32", method, kase, ruri, contact, firstLine);
        assertEquals(k, kj, "Kamailio native vs JS");
        assertEquals(kj, relayed(js.oursAddr, "127.0.25.41", "127.0.25.42", method, kase, ruri, contact, firstLine), "JS");
        return k;
    }

    private static String relayed(String proxy, String from, String to, String method, String kase, String ruri,
            String contact, boolean firstLine) {
        String r = ruri.replace("BOBHOST", to).replace("BOB", to + ":5072").replace("PROXY", proxy)
                .replace("CTX", b64("sip:bob@" + to + ":5072"));
        try (KamailioPair.Peer alice = new KamailioPair.Peer(from, 5071); KamailioPair.Peer bob = new KamailioPair.Peer(to, 5072)) {
            alice.send("""
                    %s %s SIP/2.0
                    Via: SIP/2.0/UDP %s:5071;branch=z9hG4bK-c%s
                    Max-Forwards: 70
                    From: <sip:alice@%s>;tag=a1
                    To: <sip:bob@%s>
                    Call-ID: ce-%s-%s@%s
                    CSeq: 1 %s
                    %s
                    X-Case: %s
                    Content-Length: 0

                    """.formatted(method, r, from, kase, from, to, kase, method, from, method, contact, kase), proxy, 5060);
            String got = bob.receive(20_000);
            assertNotNull(got, "nothing relayed by " + proxy + " for " + kase);
            String pick = null, ret = null;
            String[] lines = got.split("\r\n");
            for (String line : lines) {
                if (line.startsWith("Contact:") && pick == null && !firstLine) pick = line;
                if (line.startsWith("X-Ret:")) ret = line;
            }
            if (firstLine) pick = lines[0];
            return (pick + "|" + ret).replace(to + ":5072", "BOB").replace(proxy, "PROXY");
        }
    }
}
