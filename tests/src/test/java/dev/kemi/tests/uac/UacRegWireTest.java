package dev.kemi.tests.uac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.LocalSockets;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.SipWire;
import dev.kemi.tests.db.KamailioScripts;
import dev.kemi.tests.db.TestDatabases;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * uac_reg on the wire: the same cfg and the same uacreg rows (SQLite) run by Kemi Proxy and by
 * Kamailio 5.6.3, against two SIPp registrars: one that challenges with a 401 and grants 10 s to
 * good credentials, one that refuses with 403. Compared: the REGISTERs (headers, Authorization,
 * Expires, Contact; refreshes in the same dialog with reg_keep_callid), when each record registers, refreshes and retries, uac.reg_dump field by
 * field, the other uac.reg_* RPC commands, and uac_reg_status/lookup/request_to from the script.
 */
class UacRegWireTest {
    static final Path SIPP = Path.of("/usr/bin/sipp"), KAMCMD = Path.of("/usr/sbin/kamcmd");
    static final Path RESOURCES = Path.of(System.getProperty("kemi.root", "..")).resolve("tests/src/test/resources/uac")
            .toAbsolutePath().normalize();
    static final String KEMI = "127.0.28.1", KAMAILIO = "127.0.28.2", AUTH_REGISTRAR = "127.0.28.20",
            REJECTING_REGISTRAR = "127.0.28.21", CLIENT = "127.0.28.10";
    /** The observation window, seconds after the first REGISTER: records register at 0, 6, 12 (10 s granted, 1 s timer + 3 s ahead), the refused one at 0, 4, 8, 12 (retry 8 s). */
    static final double WINDOW = 13.5;
    static final String HA1 = md5("alice:upstream.test:alicepw");

    record Run(String proxy, List<Map<String, String>> dump, Map<String, String> status, RegistrarTrace auth,
               RegistrarTrace rejecting, Map<String, String> rpc, List<String> unregister) {}

    static Run kemi, kamailio;

    @BeforeAll
    static void runBoth() throws Exception {
        TestDatabases.requirePeer(Files.isExecutable(SIPP) && Files.isExecutable(KAMCMD), "sipp or kamcmd is not installed");
        TestDatabases.requirePeer(Kamailio.installed(), "kamailio 5.6.3 is not installed");
        Path base = Files.createDirectories(Path.of("target/uacreg").toAbsolutePath());
        kemi = runKemi(Files.createDirectories(base.resolve("kemi-" + UUID.randomUUID())));
        kamailio = runKamailio(Files.createDirectories(base.resolve("kamailio-" + UUID.randomUUID())));
    }

    static String cfg(String listen, String db) throws IOException {
        return Files.readString(RESOURCES.resolve("uacreg.cfg")).replace("{listen}", listen).replace("{db}", db);
    }

    static Run runKemi(Path d) throws Exception {
        String db = TestDatabases.sqlite(d);
        insertRows(db);
        try (Registrars r = new Registrars(d); ProxyUnderTest p = ProxyUnderTest.start(cfg(KEMI, db))) {
            return drive(KEMI, p.cfgFile().getParent().resolve("ctl.sock"), db, r);
        }
    }

    static Run runKamailio(Path d) throws Exception {
        String db = "sqlite:///" + d.resolve("k.sqlite");
        KamailioScripts.load(db);
        insertRows(db);
        Path cfg = Files.writeString(d.resolve("kamailio.cfg"), cfg(KAMAILIO, db).replace("{dir}", d.toString()));
        try (Registrars r = new Registrars(d); Kamailio k = Kamailio.startBound(cfg, d, List.of(new InetSocketAddress(KAMAILIO, 5060)))) {
            return drive(KAMAILIO, d.resolve("ctl.sock"), db, r);
        }
    }

    /** The rows, as kamctl/an admin would provision them; two of them are invalid and must be skipped. */
    static void insertRows(String url) throws Exception {
        String file = url.substring("sqlite://".length());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             PreparedStatement st = c.prepareStatement("INSERT INTO uacreg (l_uuid, l_username, l_domain, r_username, r_domain, realm,"
                     + " auth_username, auth_password, auth_ha1, auth_proxy, expires, flags, reg_delay, contact_addr, socket)"
                     + " VALUES (?, ?, 'kemi.test', ?, 'upstream.test', ?, ?, ?, ?, ?, ?, 0, 0, '', '')")) {
            String auth = "sip:" + AUTH_REGISTRAR + ":5060", reject = "sip:" + REJECTING_REGISTRAR + ":5060";
            Object[][] rows = {
                    {"acc1", "alice-local", "alice", "upstream.test", "alice", "alicepw", "", auth, 30},
                    {"acc2", "bob-local", "bob", "", "bob", "bobpw", "", reject, 60},
                    // HA1 instead of a password, in capitals (Kamailio lowercases it)
                    {"acc3", "carol-local", "carol", "", "alice", "", HA1.toUpperCase(), auth, 30},
                    {"noproxy", "dave-local", "dave", "", "dave", "davepw", "", "", 30},
                    {"nopass", "erin-local", "erin", "", "erin", "", "", auth, 30}};
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) st.setObject(i + 1, row[i]);
                st.executeUpdate();
            }
        }
    }

    static Run drive(String proxy, Path ctl, String db, Registrars regs) throws Exception {
        List<Map<String, String>> dump = firstRound(ctl);
        Map<String, String> status = status(proxy);
        // until the window is over: acc1 registered three times (each answered with credentials), acc2 tried four times
        RegistrarTrace auth = await(() -> RegistrarTrace.read(regs.authTrace()), t -> t.initial("acc1").size() >= 3
                && t.registers().stream().filter(x -> x.uuid().equals("acc1") && x.authorized()).count() >= 3, "acc1's refreshes");
        RegistrarTrace rejecting = await(() -> RegistrarTrace.read(regs.rejectingTrace()), t -> t.initial("acc2").size() >= 4, "acc2's retries");

        Map<String, String> rpc = new LinkedHashMap<>();
        String[][] cmds = {
                {"uac.reg_info", "l_uuid", "acc1"},
                {"uac.reg_info", "l_username", "carol-local"},
                {"uac.reg_info", "r_username", "bob"},
                {"uac.reg_info", "auth_username", "alice"},
                {"uac.reg_info", "l_uuid", "nosuch"},
                {"uac.reg_info", "realm", "x"},
                {"uac.reg_info", "l_uuid"},
                {"uac.reg_disable", "l_uuid", "acc3"},
                {"uac.reg_info", "l_uuid", "acc3"},
                {"uac.reg_enable", "l_uuid", "acc3"},
                {"uac.reg_active", "0"},
                {"uac.reg_active", "1"},
                {"uac.reg_add", "acc4", "frank-local", "kemi.test", "frank", "upstream.test", "upstream.test", "frank", "frankpw", ".",
                        "sip:" + REJECTING_REGISTRAR + ":5060", "0", "0", "0", "", "."},
                {"uac.reg_info", "l_uuid", "acc4"},
                {"uac.reg_add", "acc4", "frank-local", "kemi.test", "frank", "upstream.test", "upstream.test", "frank", "frankpw", ".",
                        "sip:" + REJECTING_REGISTRAR + ":5060", "0", "0", "0", "", "."},
                {"uac.reg_add", "acc5", "gina-local", "kemi.test", "gina", "upstream.test", "", "gina", ".", ".",
                        "sip:" + REJECTING_REGISTRAR + ":5060", "0", "0", "0", "", "."},
                {"uac.reg_remove", "acc4"},
                {"uac.reg_remove", "acc4"},
                {"uac.reg_refresh", "nosuch"},
        };
        for (String[] c : cmds) rpc.put(String.join(" ", c), normalize(kamcmd(ctl, c), proxy));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.substring("sqlite://".length()));
             Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE uacreg SET expires = 40, auth_password = 'newpw' WHERE l_uuid = 'acc1'");
        }
        rpc.put("uac.reg_refresh acc1", normalize(kamcmd(ctl, "uac.reg_refresh", "acc1"), proxy));
        rpc.put("after refresh: uac.reg_info l_uuid acc1", normalize(kamcmd(ctl, "uac.reg_info", "l_uuid", "acc1"), proxy));
        rpc.put("uac.reg_unregister l_uuid acc3", normalize(kamcmd(ctl, "uac.reg_unregister", "l_uuid", "acc3"), proxy));
        RegistrarTrace.Received unregister = await(() -> RegistrarTrace.read(regs.authTrace()), t -> t.initial("acc3").stream()
                .anyMatch(r -> "0".equals(r.msg().header("Expires"))), "acc3's unregistration").initial("acc3").stream()
                .filter(r -> "0".equals(r.msg().header("Expires"))).findFirst().orElseThrow();
        rpc.put("uac.reg_reload", normalize(kamcmd(ctl, "uac.reg_reload"), proxy));
        rpc.put("uac.reg_reload (again)", normalize(kamcmd(ctl, "uac.reg_reload"), proxy));
        rpc.put("uac.reg_dump after reload", normalize(kamcmd(ctl, "uac.reg_dump"), proxy));
        return new Run(proxy, dump, status, auth, rejecting, rpc, shape(unregister.msg(), proxy));
    }


    /** The script's answers to "status" (uac_reg_status, uac_reg_lookup, uac_reg_lookup_uri) and "to" (uac_reg_request_to). */
    static Map<String, String> status(String proxy) {
        Map<String, String> status = new LinkedHashMap<>();
        try (UacPeer client = new UacPeer(CLIENT, new InetSocketAddress(proxy, 5060))) {
            for (String[] q : new String[][] {{"status", "acc1", "alice-local"}, {"status", "acc2", "bob-local"},
                    {"status", "nosuch", "nobody"}, {"to", "", "carol-local"}, {"to", "", "nobody"}}) {
                client.send("OPTIONS sip:" + q[0] + "@" + proxy + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP " + client.hostPort() + ";branch=z9hG4bK-" + UUID.randomUUID() + "\r\n"
                        + "Max-Forwards: 70\r\n"
                        + "From: <sip:admin@kemi.test>;tag=s1\r\n"
                        + "To: <sip:" + q[0] + "@kemi.test>\r\n"
                        + "Call-ID: " + UUID.randomUUID() + "\r\n"
                        + "CSeq: 1 OPTIONS\r\n"
                        + "X-Uuid: " + q[1] + "\r\n"
                        + "X-User: " + q[2] + "\r\n"
                        + "Content-Length: 0\r\n\r\n");
                SipWire r = client.await("reply", SipWire::isResponse);
                status.put(String.join(" ", q), r.status() + " " + r.reason());
            }
        }
        return status;
    }

    /** Waits for the first round: acc1/acc3 online (INIT|ONLINE = 20), acc2 refused and waiting (INIT = 16). */
    static List<Map<String, String>> firstRound(Path ctl) throws Exception {
        return await(() -> dump(kamcmd(ctl, "uac.reg_dump")), d -> d.size() == 3
                && flags(d, "acc1").equals("20") && flags(d, "acc3").equals("20") && flags(d, "acc2").equals("16"), "first round");
    }

    // ------------------------------------------------------------------ the comparisons

    @Test
    void dumpListsTheValidRowsAsKamailio() {
        for (Run r : List.of(kemi, kamailio)) {
            assertEquals(List.of("acc2", "acc3", "acc1"), r.dump().stream().map(m -> m.get("l_uuid")).toList(),
                    r.proxy() + ": the invalid rows are skipped, the rest in Kamailio's hash order");
        }
        for (int i = 0; i < 3; i++) {
            Map<String, String> ours = kemi.dump().get(i), theirs = kamailio.dump().get(i);
            assertEquals(new ArrayList<>(theirs.keySet()), new ArrayList<>(ours.keySet()), "field names and order");
            for (String f : theirs.keySet()) {
                String a = mask(ours.get(f), KEMI), b = mask(theirs.get(f), KAMAILIO);
                if (f.equals("timer_expires") || f.equals("reg_init")) continue; // wall-clock seconds
                if (f.equals("diff_expires")) {
                    assertTrue(Math.abs(Integer.parseInt(a) - Integer.parseInt(b)) <= 2, theirs.get("l_uuid") + " diff_expires " + a + " vs " + b);
                } else {
                    assertEquals(b, a, theirs.get("l_uuid") + "." + f);
                }
            }
            long offset = Long.parseLong(ours.get("timer_expires")) - Long.parseLong(ours.get("reg_init"))
                    - (Long.parseLong(theirs.get("timer_expires")) - Long.parseLong(theirs.get("reg_init")));
            assertTrue(Math.abs(offset) <= 1, "timer_expires - reg_init as Kamailio's: " + ours + " vs " + theirs);
        }
        assertEquals("a3a411f2689feee7ad7d2b7082b61b07".length(), kemi.dump().get(1).get("auth_ha1").length());
        assertEquals(HA1, kemi.dump().get(1).get("auth_ha1"), "HA1 lowercased");
    }

    @Test
    void registersAsKamailio() {
        for (Run r : List.of(kemi, kamailio)) {
            RegistrarTrace.Received first = r.auth().initial("acc1").getFirst();
            SipWire m = first.msg();
            assertEquals("REGISTER sip:upstream.test SIP/2.0", m.firstLine());
            assertEquals("<sip:alice@upstream.test>", m.header("To"));
            assertTrue(m.header("From").startsWith("<sip:alice@upstream.test>;tag="), m.header("From"));
            assertEquals("10 REGISTER", m.header("CSeq"));
            assertEquals("<sip:acc1@" + r.proxy() + ":5060>", m.header("Contact"));
            assertEquals("30", m.header("Expires"));
            SipWire authorized = answer(r.auth(), first);
            assertEquals("11 REGISTER", authorized.header("CSeq"));
            assertEquals(m.header("Call-ID"), authorized.header("Call-ID"), "same Call-ID");
            assertEquals(m.header("From"), authorized.header("From"), "same From tag");
            assertEquals("<sip:alice@upstream.test>", authorized.header("To"), "no To tag (the 401's is not taken)");
            String cnonce = SipWire.param(authorized.header("Authorization").replace(", ", ";"), "cnonce").replace("\"", "");
            String response = md5(md5("alice:upstream.test:alicepw") + ":n0nce-upstream-1:00000001:" + cnonce + ":auth:"
                    + md5("REGISTER:sip:upstream.test"));
            assertEquals("Digest username=\"alice\", realm=\"upstream.test\", nonce=\"n0nce-upstream-1\", uri=\"sip:upstream.test\","
                    + " qop=auth, nc=00000001, cnonce=\"" + cnonce + "\", response=\"" + response + "\", algorithm=MD5",
                    authorized.header("Authorization"));
            SipWire ha1 = answer(r.auth(), r.auth().initial("acc3").getFirst());
            assertTrue(ha1.header("Authorization").startsWith("Digest username=\"alice\", realm=\"upstream.test\""), ha1.header("Authorization"));
            // reg_keep_callid: the refresh goes in the registration's dialog, CSeq on from the 200's, a new From tag (as 5.6.3)
            SipWire refresh = r.auth().initial("acc1").get(1).msg();
            assertEquals(m.header("Call-ID"), refresh.header("Call-ID"), "the refresh keeps the Call-ID");
            assertEquals("12 REGISTER", refresh.header("CSeq"));
            assertTrue(refresh.header("From").startsWith("<sip:alice@upstream.test>;tag="), refresh.header("From"));
            assertTrue(!refresh.header("From").equals(m.header("From")), "a new From tag");
            SipWire refused = r.rejecting().initial("acc2").getFirst().msg();
            assertEquals("<sip:bob@upstream.test>", refused.header("To"));
            assertEquals("60", refused.header("Expires"));
        }
        for (String uuid : List.of("acc1", "acc3")) {
            RegistrarTrace.Received k = kamailio.auth().initial(uuid).getFirst(), o = kemi.auth().initial(uuid).getFirst();
            assertEquals(shape(k.msg(), KAMAILIO), shape(o.msg(), KEMI), uuid + "'s REGISTER");
            assertEquals(shape(answer(kamailio.auth(), k), KAMAILIO), shape(answer(kemi.auth(), o), KEMI), uuid + "'s authorized REGISTER");
        }
        for (int i = 1; i < 3; i++) {
            RegistrarTrace.Received k = kamailio.auth().initial("acc1").get(i), o = kemi.auth().initial("acc1").get(i);
            assertEquals(shape(k.msg(), KAMAILIO), shape(o.msg(), KEMI), "acc1's refresh " + i);
            assertEquals(shape(answer(kamailio.auth(), k), KAMAILIO), shape(answer(kemi.auth(), o), KEMI), "acc1's authorized refresh " + i);
        }
        assertEquals(shape(kamailio.rejecting().initial("acc2").getFirst().msg(), KAMAILIO),
                shape(kemi.rejecting().initial("acc2").getFirst().msg(), KEMI), "acc2's REGISTER");
    }

    @Test
    void refreshesAndRetriesWhenKamailioDoes() {
        for (boolean authRegistrar : new boolean[] {true, false}) {
            List<RegistrarTrace.Event> k = (authRegistrar ? kamailio.auth() : kamailio.rejecting()).timeline(WINDOW);
            List<RegistrarTrace.Event> o = (authRegistrar ? kemi.auth() : kemi.rejecting()).timeline(WINDOW);
            assertEquals(k.stream().map(RegistrarTrace.Event::uuid).toList(), o.stream().map(RegistrarTrace.Event::uuid).toList(),
                    "the same records in the same order: Kamailio " + k + ", ours " + o);
            for (int i = 0; i < k.size(); i++) {
                // both take time() in whole seconds (a reply just across a second boundary moves a retry by 1 s),
                // and SIPp on a loaded machine reads late: 2 s of slack
                assertTrue(Math.abs(k.get(i).at() - o.get(i).at()) <= 2.0, "REGISTER " + i + " at " + o.get(i) + ", Kamailio's at " + k.get(i));
            }
        }
        // what the window holds: three registrations each for acc1/acc3, four refused tries for acc2
        assertEquals(List.of("acc3", "acc1", "acc3", "acc1", "acc3", "acc1"),
                kemi.auth().timeline(WINDOW).stream().map(RegistrarTrace.Event::uuid).toList());
        assertEquals(4, kemi.rejecting().timeline(WINDOW).size());
    }

    @Test
    void unregisterSendsExpiresZeroAsKamailio() {
        assertEquals(kamailio.unregister(), kemi.unregister());
        assertTrue(kemi.unregister().contains("contact: <sip:acc3@PROXY:5060>") && kemi.unregister().contains("expires: 0"), kemi.unregister().toString());
    }

    @Test
    void scriptFunctionsAnswerAsKamailio() {
        assertEquals(mask(kamailio.status().toString(), KAMAILIO), mask(kemi.status().toString(), KEMI));
        assertEquals("200 status 1 sip:alice-local@kemi.test acc1", kemi.status().get("status acc1 alice-local"));
        assertEquals("200 status -99 sip:bob-local@kemi.test acc2", kemi.status().get("status acc2 bob-local"));
        assertTrue(kemi.status().get("to  carol-local").startsWith("200 to sip:carol@upstream.test sip:" + AUTH_REGISTRAR + ":5060 "),
                kemi.status().get("to  carol-local"));
    }

    @Test
    void rpcCommandsAnswerAsKamailio() {
        StringBuilder k = new StringBuilder(), o = new StringBuilder();
        kamailio.rpc().forEach((cmd, out) -> k.append("> ").append(cmd).append('\n').append(out));
        kemi.rpc().forEach((cmd, out) -> o.append("> ").append(cmd).append('\n').append(out));
        assertEquals(k.toString(), o.toString());
    }

    // ------------------------------------------------------------------ helpers

    /** The authorized REGISTER answering the 401 of {@code first} (same Call-ID, next CSeq). */
    static SipWire answer(RegistrarTrace t, RegistrarTrace.Received first) {
        String cseq = (Integer.parseInt(first.msg().header("CSeq").split(" ")[0]) + 1) + " REGISTER";
        return t.registers().stream().filter(r -> r.authorized() && r.msg().header("Call-ID").equals(first.msg().header("Call-ID"))
                        && r.msg().header("CSeq").equals(cseq))
                .findFirst().orElseThrow(() -> new AssertionError("no authorized REGISTER for " + first.msg().header("Call-ID"))).msg();
    }

    /** Header names in order and their values with what differs between runs masked. */
    static List<String> shape(SipWire m, String proxy) {
        List<String> out = new ArrayList<>();
        out.add(m.firstLine());
        for (String[] f : m.headerFields()) {
            String v = mask(f[1], proxy);
            switch (f[0].toLowerCase()) {
                case "via" -> v = v.replaceAll("branch=.*", "branch=X");
                case "from" -> v = v.replaceAll("tag=.*", "tag=X");
                case "call-id", "user-agent" -> v = "X";
                case "authorization" -> v = v.replaceAll("cnonce=\"[^\"]*\"", "cnonce=X").replaceAll("response=\"[^\"]*\"", "response=X");
                default -> { }
            }
            out.add(f[0] + ": " + v);
        }
        return out;
    }

    /** The proxy's address replaced (127.0.28.2 but not 127.0.28.20). */
    static String mask(String s, String proxy) {
        return s.replaceAll(java.util.regex.Pattern.quote(proxy) + "(?!\\d)", "PROXY");
    }

    static String flags(List<Map<String, String>> dump, String uuid) {
        return dump.stream().filter(m -> uuid.equals(m.get("l_uuid"))).map(m -> m.get("flags")).findFirst().orElse("");
    }

    /** kamcmd's printing of an array of structs, as maps. */
    static List<Map<String, String>> dump(String out) {
        List<Map<String, String>> list = new ArrayList<>();
        Map<String, String> cur = null;
        for (String line : out.split("\n")) {
            String l = line.strip();
            if (l.equals("{")) list.add(cur = new LinkedHashMap<>());
            else if (l.equals("}")) cur = null;
            else if (cur != null && l.contains(": ")) cur.put(l.substring(0, l.indexOf(": ")), l.substring(l.indexOf(": ") + 2));
        }
        return list;
    }

    /** kamcmd output with the proxy's address and the wall-clock fields masked. */
    static String normalize(String out, String proxy) {
        return mask(out, proxy).replaceAll("(?m)^(\\s*(timer_expires|reg_init|diff_expires):).*", "$1 X");
    }

    static String kamcmd(Path ctl, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(KAMCMD.toString(), "-s", "unix:" + ctl));
        for (String a : args) cmd.add(a.isEmpty() ? "s:" : a);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "kamcmd ended");
        return out;
    }

    interface Probe<T> {
        T get() throws Exception;
    }

    /** Polls until the condition holds (20 s deadline), returning the last value. */
    static <T> T await(Probe<T> probe, Predicate<T> done, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        T v = probe.get();
        while (!done.test(v)) {
            assertTrue(System.nanoTime() < deadline, what + " not reached: " + v);
            Thread.sleep(100); // polling RPC output and trace files: nothing to await on
            v = probe.get();
        }
        return v;
    }

    static String md5(String s) {
        return UacWireTest.DigestAnswerCheck.md5(s);
    }

    /** The two SIPp registrars of one run, tracing what they receive; stopped (by their own pid) at close. */
    static final class Registrars implements AutoCloseable {
        private final Path dir;
        private final List<Process> procs = new ArrayList<>();

        Registrars(Path dir) throws Exception {
            this.dir = dir;
            procs.add(start(AUTH_REGISTRAR, "registrar_auth.xml", authTrace()));
            procs.add(start(REJECTING_REGISTRAR, "registrar_reject.xml", rejectingTrace()));
        }

        Path authTrace() {
            return dir.resolve("registrar-auth.msg");
        }

        Path rejectingTrace() {
            return dir.resolve("registrar-reject.msg");
        }

        private Process start(String ip, String scenario, Path trace) throws Exception {
            Path out = dir.resolve(scenario + ".out");
            if (LocalSockets.udpBound(new InetSocketAddress(ip, 5060))) throw new IllegalStateException(ip + ":5060 is taken");
            Process p = new ProcessBuilder(SIPP.toString(), "-sf", RESOURCES.resolve(scenario).toString(), "-i", ip, "-p", "5060",
                    "-nostdin", "-cp", Integer.toString(ProxyUnderTest.freePort()), "-trace_msg", "-message_file", trace.toString(),
                    // reg_keep_callid refreshes reuse an ended call's Call-ID: SIPp must take it as a new call
                    "-deadcall_wait", "0")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!LocalSockets.udpBound(new InetSocketAddress(ip, 5060))) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException(scenario + " did not start: " + Files.readString(out));
                }
                Thread.sleep(20); // polling SIPp's bind: nothing to await on
            }
            return p;
        }

        @Override
        public void close() throws InterruptedException {
            for (Process p : procs) {
                p.destroy();
                if (!p.waitFor(3, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
            }
        }
    }
}
