package dev.kemi.tests.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.db.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same registrar cfg (native, Python, JavaScript) on Kamailio 5.6.3 and on us, db_mode 1 on
 * SQLite: every REGISTER of a sequence gets the same reply (Contact list with q, expires,
 * received, +sip.instance, reg-id; Kamailio's 400s), the location tables hold the same rows, and
 * lookup() forks the next INVITE to the registered contacts in the same order.
 */
class RegistrarVsKamailioTest {
    private static final String DOMAIN = "example.test";
    private static final Pattern EXPIRES = Pattern.compile(";expires=(\\d+)");

    @ParameterizedTest
    @EnumSource(RegScripts.class)
    void sameRepliesRowsAndRouting(RegScripts fe) throws Exception {
        TestDatabases.requirePeer(Kamailio.installed(), "kamailio 5.6.3 is not installed");
        int n = fe.ordinal();
        String kIp = "127.0.14." + (10 + n), oIp = "127.0.14." + (20 + n);
        Path tmp = Files.createTempDirectory("kemi-reg-diff");
        String kUrl = TestDatabases.sqlite(tmp), oUrl = TestDatabases.sqlite(tmp);
        try (Kamailio k = Proxies.kamailio(fe, kIp, kUrl, 1, "");
             ProxyUnderTest o = Proxies.ours(fe, oIp, oUrl, 1, "");
             Phone kPhone = new Phone("127.0.14.40"); Phone oPhone = new Phone("127.0.14.41");
             Phone kCaller = new Phone("127.0.14.42"); Phone oCaller = new Phone("127.0.14.43")) {
            kCaller.awaitAnswering(Proxies.sip(kIp));
            oCaller.awaitAnswering(Proxies.sip(oIp));
            String inst = "+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>\";reg-id=1";
            List<String[]> steps = List.of(
                    new String[] {"1", null, "Contact: <sip:alice@10.0.0.1:5060>;expires=120",
                            "Contact: <sip:alice@10.0.0.2:5060;transport=tcp>;q=0.5;" + inst, "Allow: INVITE, ACK, BYE, CANCEL"},
                    new String[] {"2", "300", "Contact: <sip:alice@10.0.0.3:5060>;q=0.9"},
                    new String[] {"3", null, "Contact: <sip:alice@10.0.0.1:5060>;expires=0"},
                    new String[] {"4", null},
                    new String[] {"1", null, "Contact: <sip:alice@10.0.0.3:5060>;q=0.9"},
                    new String[] {"5", null, "Contact: <sip:alice@10.0.0.4:5060"},
                    new String[] {"6", "10", "Contact: *"},
                    new String[] {"7", null, "Contact: <sip:alice@10.0.0.4:5060>;q=2"},
                    new String[] {"8", null, "Contact: <sip:alice@10.0.0.4:5060>, *"});
            for (String[] s : steps) {
                int cseq = Integer.parseInt(s[0]);
                Integer exp = s[1] == null ? null : Integer.valueOf(s[1]);
                String[] hdrs = java.util.Arrays.copyOfRange(s, 2, s.length);
                String kr = kPhone.request(Proxies.sip(kIp), kPhone.register("alice", DOMAIN, "reg-1", cseq, exp, hdrs));
                String or = oPhone.request(Proxies.sip(oIp), oPhone.register("alice", DOMAIN, "reg-1", cseq, exp, hdrs));
                assertNotNull(kr, "Kamailio answered REGISTER CSeq " + cseq + ": " + k.log());
                assertNotNull(or, "we answered REGISTER CSeq " + cseq);
                assertSameReply(normalise(kr, kPhone, kIp), normalise(or, oPhone, oIp), "REGISTER CSeq " + cseq + " " + String.join(" | ", hdrs));
            }
            assertEquals(rows(kUrl, kPhone, kIp), rows(oUrl, oPhone, oIp), "location rows");

            // lookup(): the INVITE forks to both bindings, highest q first, each to its received address
            List<String> kUris = Calls.invite(kCaller, List.of(kPhone), kIp, "alice", DOMAIN, 2);
            List<String> oUris = Calls.invite(oCaller, List.of(oPhone), oIp, "alice", DOMAIN, 2);
            assertEquals(List.of("sip:alice@10.0.0.3:5060", "sip:alice@10.0.0.2:5060;transport=tcp"), kUris, "Kamailio's branches");
            assertEquals(kUris, oUris, "our branches");
        }
    }

    /**
     * append_branches: an INVITE forks to both phones of an AoR; with use_path the contact behind
     * an edge proxy is reached through it (Route from the Path); $ulc reads what
     * reg_fetch_contacts() fetched. Native cfg, Kamailio and us side by side.
     */
    @org.junit.jupiter.api.Test
    void forkingPathAndUlc() throws Exception {
        TestDatabases.requirePeer(Kamailio.installed(), "kamailio 5.6.3 is not installed");
        String extra = "modparam(\"registrar\", \"use_path\", 1)\nmodparam(\"registrar\", \"path_mode\", 0)\n";
        List<List<String>> seen = new ArrayList<>();
        List<String> ulc = new ArrayList<>();
        for (String ip : List.of("127.0.14.30", "127.0.14.31")) {
            boolean kam = ip.endsWith(".30");
            try (AutoCloseable p = kam ? Proxies.kamailio(RegScripts.NATIVE, ip, null, 0, extra) : Proxies.ours(RegScripts.NATIVE, ip, null, 0, extra);
                 Phone desk = new Phone("127.0.14.32"); Phone mobile = new Phone("127.0.14.33"); Phone edge = new Phone("127.0.14.34");
                 Phone caller = new Phone("127.0.14.35")) {
                caller.awaitAnswering(Proxies.sip(ip));
                ok(desk.request(Proxies.sip(ip), desk.register("bob", DOMAIN, "reg-desk", 1, 600,
                        "Contact: <sip:bob@" + desk.hostPort() + ">;q=0.8")));
                ok(mobile.request(Proxies.sip(ip), mobile.register("bob", DOMAIN, "reg-mobile", 1, 600,
                        "Contact: <sip:bob@" + mobile.hostPort() + ">;q=0.3")));
                List<String> uris = Calls.invite(caller, List.of(desk, mobile), ip, "bob", DOMAIN, 2);
                List<String> shown = new ArrayList<>();
                for (String u : uris) shown.add(u.replace(desk.hostPort(), "DESK").replace(mobile.hostPort(), "MOBILE"));
                java.util.Collections.sort(shown); // two sockets: the order they are read in says nothing
                String msg = caller.request(Proxies.sip(ip), "MESSAGE sip:bob@" + DOMAIN + " SIP/2.0\r\nVia: SIP/2.0/UDP "
                        + caller.hostPort() + ";branch=z9hG4bK-m1\r\nMax-Forwards: 70\r\nFrom: <sip:c@x>;tag=m\r\nTo: <sip:bob@"
                        + DOMAIN + ">\r\nCall-ID: msg-ulc\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n");
                assertNotNull(msg);
                ulc.add(msg.substring(0, msg.indexOf("\r\n")).replace(desk.hostPort(), "DESK").replace(mobile.hostPort(), "MOBILE"));

                // behind an edge proxy: registered with Path, called through it
                ok(edge.request(Proxies.sip(ip), edge.register("carol", DOMAIN, "reg-edge", 1, 600,
                        "Path: <sip:" + edge.hostPort() + ";lr>", "Contact: <sip:carol@10.9.9.9:5060>")));
                caller.send(Proxies.sip(ip), caller.invite("carol", DOMAIN, "call-path-" + ip));
                String inv = null;
                for (int i = 0; i < 20 && inv == null; i++) {
                    String m = edge.receive(Duration.ofMillis(250));
                    if (m != null && m.startsWith("INVITE ")) inv = m;
                }
                assertNotNull(inv, "the INVITE reached the edge proxy");
                edge.send(Proxies.sip(ip), Phone.replyTo(inv, 486, "Busy Here"));
                shown.add(Phone.requestUri(inv) + " Route: " + Phone.header(inv, "Route").replace(edge.hostPort(), "EDGE"));
                seen.add(shown);
            }
        }
        assertEquals(List.of("sip:bob@DESK", "sip:bob@MOBILE", "sip:carol@10.9.9.9:5060 Route: <sip:EDGE;lr>"), seen.get(0), "Kamailio");
        assertEquals(seen.get(0), seen.get(1), "ours");
        assertEquals("SIP/2.0 200 n=2 a=sip:bob@MOBILE q=800 aor=bob@example.test", ulc.get(0), "Kamailio's $ulc");
        assertEquals(ulc.get(0), ulc.get(1), "$ulc");
    }

    private static void ok(String reply) {
        assertNotNull(reply);
        assertTrue(reply.startsWith("SIP/2.0 200"), reply);
    }

    private static String normalise(String reply, Phone phone, String proxyIp) {
        StringBuilder b = new StringBuilder();
        for (String line : reply.split("\r\n")) {
            if (line.startsWith("Server:")) continue;
            if (line.startsWith("To:")) line = line.replaceAll(";tag=[^;]*", ";tag=TAG");
            b.append(line.replace(phone.hostPort(), "PHONE").replace(proxyIp, "PROXY")).append("\r\n");
        }
        return b.toString();
    }

    /** Equal, except expires values that may be a second apart (the two proxies ran at different moments). */
    private static void assertSameReply(String expected, String actual, String what) {
        List<Integer> e = numbers(expected), a = numbers(actual);
        assertEquals(EXPIRES.matcher(expected).replaceAll(";expires=N"), EXPIRES.matcher(actual).replaceAll(";expires=N"), what);
        for (int i = 0; i < e.size(); i++) assertTrue(Math.abs(e.get(i) - a.get(i)) <= 2, what + ": expires " + e + " vs " + a);
    }

    private static List<Integer> numbers(String s) {
        List<Integer> out = new ArrayList<>();
        Matcher m = EXPIRES.matcher(s);
        while (m.find()) out.add(Integer.parseInt(m.group(1)));
        return out;
    }

    /** The location rows, sorted, without what must differ (id, ruid, times); addresses normalised. */
    static List<String> rows(String sqliteUrl, Phone phone, String proxyIp) throws Exception {
        String file = sqliteUrl.substring("sqlite://".length());
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM location ORDER BY contact")) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    String col = md.getColumnName(i);
                    if (List.of("id", "ruid", "expires", "last_modified").contains(col)) continue;
                    String v = rs.getString(i);
                    b.append(col).append('=').append(v == null ? "NULL" : v.replace(phone.hostPort(), "PHONE").replace(proxyIp, "PROXY")).append(' ');
                }
                out.add(b.toString());
            }
        }
        return out;
    }
}
