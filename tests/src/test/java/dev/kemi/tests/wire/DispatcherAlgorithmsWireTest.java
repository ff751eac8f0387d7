package dev.kemi.tests.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * dispatcher's selection algorithms (Call-ID, From, To, R-URI, auth username and PV hashes,
 * round robin, serial, call load with failover, parallel forking, latency round robin, an
 * unknown algorithm) on the same sequence of requests: the return code, $du, the failover
 * records and what ds_next_dst picks next, as Kamailio 5.6.3 and we answer them
 * in X-Ds of a stateless reply, native cfg and KEMI (JS).
 */
class DispatcherAlgorithmsWireTest {
    static final int[] ALGORITHMS = {0, 1, 2, 3, 4, 5, 7, 8, 10, 12, 13, 99};
    private static final String LIST = """
            1 sip:127.0.25.61:5060 0 0 duid=a
            1 sip:127.0.25.62:5060 0 5 duid=b;maxload=2
            1 sip:127.0.25.63:5060 0 0 duid=c
            1 sip:127.0.25.64:5060 0 10 duid=d;maxload=3
            2 sip:127.0.25.65:5060 1 0 duid=e
            2 sip:127.0.25.66:5060 0 0 duid=f
            2 sip:127.0.25.67:5060 0 0 duid=g
            """;
    private static final String MODULES = """
            listen=udp:{addr}:5060
            children=1
            auto_aliases=no
            loadmodule "tm.so"
            loadmodule "sl.so"
            loadmodule "pv.so"
            loadmodule "textops.so"
            loadmodule "dispatcher.so"
            modparam("dispatcher", "list_file", "{dir}/dispatcher.list")
            modparam("dispatcher", "flags", 2)
            modparam("dispatcher", "hash_pvar", "$hdr(X-Hash)")
            modparam("dispatcher", "ds_hash_size", 4)
            """;
    private static final String NATIVE = MODULES + """
            request_route {
                if (is_method("BYE")) {
                    $var(r) = ds_load_update();
                    append_to_reply("X-Ds: r=$var(r)\\r\\n");
                    sl_send_reply("200", "OK");
                    exit;
                }
                $var(set) = $(hdr(X-Set){s.int});
                $var(alg) = $(hdr(X-Alg){s.int});
                $var(r) = ds_select_dst("$var(set)", "$var(alg)");
                append_to_reply("X-Ds: r=$var(r) du=$du x=$xavp(_dsdst_[0]=>uri)/$xavp(_dsdst_[0]=>dstid),$xavp(_dsdst_[1]=>uri)/$xavp(_dsdst_[1]=>dstid),$xavp(_dsdst_[2]=>uri)/$xavp(_dsdst_[2]=>dstid),$xavp(_dsdst_[3]=>uri)/$xavp(_dsdst_[3]=>dstid),$xavp(_dsdst_[4]=>uri)/$xavp(_dsdst_[4]=>dstid),\\r\\n");
                $var(n) = ds_next_dst();
                append_to_reply("X-Next: $var(n) $du\\r\\n");
                sl_send_reply("200", "OK");
                exit;
            }
            """;
    private static final String KEMI = MODULES + """
            loadmodule "app_jsdt.so"
            modparam("app_jsdt", "load", "{dir}/route.js")
            cfgengine "jsdt"
            """;
    private static final String JS = """
            function pv(name) {
                var v = KSR.pv.get(name);
                return v == null ? "<null>" : v;
            }

            function ksr_request_route() {
                if (KSR.is_BYE()) {
                    KSR.hdr.append_to_reply("X-Ds: r=" + KSR.dispatcher.ds_load_update() + "\\r\\n");
                    KSR.sl.sl_send_reply(200, "OK");
                    return;
                }
                var r = KSR.dispatcher.ds_select_dst(parseInt(KSR.hdr.get("X-Set")), parseInt(KSR.hdr.get("X-Alg")));
                var s = "r=" + r + " du=" + pv("$du") + " x=";
                for (var i = 0; i < 5; i++) {
                    s += pv("$xavp(_dsdst_[" + i + "]=>uri)") + "/" + pv("$xavp(_dsdst_[" + i + "]=>dstid)") + ",";
                }
                var n = KSR.dispatcher.ds_next_dst();
                s += " next=" + n + " " + pv("$du");
                KSR.hdr.append_to_reply("X-Ds: " + s + "\\r\\n");
                KSR.sl.sl_send_reply(200, "OK");
            }
            """;
    private static KamailioPair nat, js;

    @BeforeAll
    static void start() {
        nat = new KamailioPair("127.0.25.101", "127.0.25.102", 5060, NATIVE, Map.of("dispatcher.list", LIST));
        js = new KamailioPair("127.0.25.103", "127.0.25.104", 5060, KEMI, Map.of("dispatcher.list", LIST, "route.js", JS));
    }

    @AfterAll
    static void stop() {
        if (nat != null) nat.close();
        if (js != null) js.close();
    }

    /** Every algorithm on both sets, six requests each with other Call-ID, From, To, R-URI, credentials and X-Hash. */
    @Test
    void selectionsAreKamailios() {
        List<String> k = run(nat.kamailioAddr), kj = run(js.kamailioAddr);
        assertEquals(k, run(nat.oursAddr), "native");
        // Kamailio's own native and JS runs agree (ds_load_update is 1 in native, 0 in KEMI):
        // the outcome is the algorithm's, not the flavour's
        assertEquals(k.stream().map(l -> l.equals("bye r=1") ? "bye r=0" : l).toList(), kj, "Kamailio native vs JS");
        assertEquals(kj, run(js.oursAddr), "JS");
    }

    private static List<String> run(String proxy) {
        List<String> out = new ArrayList<>();
        try (KamailioPair.Peer uac = new KamailioPair.Peer("127.0.25.110", 5071)) {
            int n = 0;
            for (int alg : ALGORITHMS) {
                for (int set = 1; set <= 2; set++) {
                    for (int i = 0; i < 6; i++) {
                        String cid = "alg" + alg + "-" + set + "-" + i + "@127.0.25.110";
                        String auth = i % 3 == 2 ? "" : "Proxy-Authorization: Digest username=\"user" + i
                                + "\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"00\"\n";
                        String invite = """
                                INVITE sip:svc%d@host%d.invalid SIP/2.0
                                Via: SIP/2.0/UDP 127.0.25.110:5071;branch=z9hG4bK-a%d
                                Max-Forwards: 70
                                From: <sip:caller%d@from%d.invalid>;tag=f%d
                                To: <sip:callee%d@to%d.invalid>
                                Call-ID: %s
                                CSeq: 1 INVITE
                                %sX-Set: %d
                                X-Alg: %d
                                X-Hash: h%d
                                Content-Length: 0

                                """.formatted(i * 7, i % 4, n, i * 3, i % 2, n, i * 11, i, cid, auth, set, alg, i * 5);
                        out.add(alg + "/" + set + "/" + i + " " + ask(uac, invite, proxy));
                        // algorithm 10: every other call ends, its load leaves the destination
                        if (alg == 10 && i % 2 == 1) {
                            out.add("bye " + ask(uac, """
                                    BYE sip:x@127.0.25.61 SIP/2.0
                                    Via: SIP/2.0/UDP 127.0.25.110:5071;branch=z9hG4bK-b%d
                                    Max-Forwards: 70
                                    From: <sip:caller@from.invalid>;tag=f%d
                                    To: <sip:callee@to.invalid>;tag=t
                                    Call-ID: %s
                                    CSeq: 2 BYE
                                    Content-Length: 0

                                    """.formatted(n, n, cid), proxy));
                        }
                        n++;
                    }
                }
            }
        }
        return out;
    }

    private static String ask(KamailioPair.Peer uac, String request, String proxy) {
        uac.send(request, proxy, 5060);
        String reply = uac.receive(10_000);
        assertNotNull(reply, "no reply from " + proxy);
        StringBuilder b = new StringBuilder();
        for (String line : reply.split("\r\n")) {
            if (line.startsWith("X-Ds: ")) b.append(line.substring(6));
            if (line.startsWith("X-Next: ")) b.append(" next=").append(line.substring(8));
        }
        return b.isEmpty() ? "no X-Ds: " + reply.split("\r\n")[0] : b.toString();
    }
}
