package dev.kemi.tests.permissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.cli.Main;
import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.control.Peers;
import dev.kemi.tests.db.KamailioScripts;
import dev.kemi.tests.db.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/**
 * The same permissions cfg (native, Python, JavaScript) on Kamailio 5.6.3 and on us, each on its
 * own SQLite database (Kamailio's made by its own create scripts, ours by {@code kemi db init}),
 * both filled by kamctl ({@code kamctl address add}, {@code kamctl trusted add}) plus the
 * trusted-table columns kamctl cannot set: every request from the 127.0.62.0/24 sources gets the
 * same reply (200 / 403 and each check's result in the reason), kamcmd's
 * addressDump/subnetDump/domainDump/trustedDump print the same text, and an address added by
 * kamctl is refused until permissions.addressReload, then let in.
 */
class PermissionsVsKamailioTest {
    private static final String NET = "127.0.62.";

    @ParameterizedTest
    @EnumSource(PermScripts.class)
    void sameRepliesAndDumps(PermScripts fe) throws Exception {
        TestDatabases.requirePeer(Kamailio.installed() && Files.isExecutable(Path.of("/usr/sbin/kamctl"))
                && Files.isExecutable(Path.of("/usr/sbin/kamcmd")) && Files.isExecutable(Path.of("/usr/bin/sqlite3")),
                "kamailio 5.6.3, kamctl, kamcmd or sqlite3 not installed");
        int n = fe.ordinal();
        String kIp = NET + (1 + 2 * n), oIp = NET + (2 + 2 * n);
        Path tmp = Files.createTempDirectory("kemi-perm");
        Path kDb = tmp.resolve("kamailio.sqlite"), oDb = tmp.resolve("ours.sqlite");
        KamailioScripts.load("sqlite:///" + kDb);
        assertEquals(0, new CommandLine(new Main()).execute("db", "init", "sqlite:///" + oDb));
        for (Path db : List.of(kDb, oDb)) provision(tmp, db);

        Path kDir = Files.createDirectories(tmp.resolve("k")), oDir;
        for (Map.Entry<String, String> f : fe.files().entrySet()) Files.writeString(kDir.resolve(f.getKey()), f.getValue());
        Path kCfg = Files.writeString(kDir.resolve("kamailio.cfg"), fe.cfg(kIp, "sqlite:///" + kDb).replace("{dir}", kDir.toString()));
        try (Kamailio k = Kamailio.startBound(kCfg, kDir, List.of(new InetSocketAddress(kIp, 5060)));
             ProxyUnderTest o = ProxyUnderTest.start(fe.cfg(oIp, "sqlite:///" + oDb), fe.files())) {
            oDir = o.cfgFile().getParent();
            List<String[]> asks = new ArrayList<>(List.of(
                    new String[] {"20", "0", "sip:alice@other.test", "sip:premium@example.test"},
                    new String[] {"21", "5070", "sip:bob@other.test", "sip:100@example.test"},
                    new String[] {"21", "0", "sip:bob@other.test", "sip:open@example.test"},
                    new String[] {"30", "0", "sip:carol@trusted.test", "sip:premium@example.test"},
                    new String[] {"40", "0", "sip:alice@trusted.test", "sip:9001@example.test"},
                    new String[] {"40", "0", "sip:bob@else.test", "sip:open@example.test"},
                    new String[] {"41", "0", "sip:dave@else.test", "sip:100@example.test"},
                    new String[] {"41", "0", "sip:dave@else.test", "sip:123@example.test"},
                    new String[] {"50", "0", "sip:eve@else.test", "sip:x@example.test"}));
            for (String[] a : asks) {
                String kr = ask(a, new InetSocketAddress(kIp, 5060), "OPTIONS", null);
                String or = ask(a, new InetSocketAddress(oIp, 5060), "OPTIONS", null);
                assertNotNull(kr, "Kamailio answered " + String.join(" ", a) + ": " + k.log());
                assertEquals(kr, or, "from " + NET + a[0] + ":" + a[1] + " " + a[2] + " -> " + a[3]);
            }
            assertTrue(ask(asks.get(0), new InetSocketAddress(oIp, 5060), "OPTIONS", null).startsWith("SIP/2.0 200 "), "group 1 is let in");
            if (fe == PermScripts.NATIVE) {
                // what Kamailio answered, pinned: the subnet groups, trusted rows by priority, BRE patterns, tags
                assertEquals("SIP/2.0 403 g=2 ag=2 ad=1 dom=1 t=-1 t2=-1 t3=-1 r=-1 r0=-1 au=-1 tag=dom", ask(asks.get(3),
                        new InetSocketAddress(oIp, 5060), "OPTIONS", null));
                assertEquals("SIP/2.0 403 g=4 ag=4 ad=-1 dom=1 t=1 t2=1 t3=1 r=-1 r0=-1 au=-1 tag=tcp-only", ask(asks.get(4),
                        new InetSocketAddress(oIp, 5060), "OPTIONS", null));
                assertEquals("SIP/2.0 403 g=4 ag=4 ad=-1 dom=1 t=1 t2=-1 t3=1 r=1 r0=-1 au=-1 tag=ruri", ask(asks.get(6),
                        new InetSocketAddress(oIp, 5060), "OPTIONS", null));
            }
            assertTrue(ask(asks.get(2), new InetSocketAddress(oIp, 5060), "OPTIONS", null).startsWith("SIP/2.0 403 "), "only port 5070");

            if (fe == PermScripts.NATIVE) {
                for (String contact : List.of("<sip:alice@127.0.62.20:5060>", "<sip:alice@10.0.0.1:5060>", "*")) {
                    for (String user : List.of("alice", "admin")) {
                        String[] a = {"20", "0", "sip:" + user + "@example.test", "sip:example.test"};
                        String kr = ask(a, new InetSocketAddress(kIp, 5060), "REGISTER", contact);
                        assertNotNull(kr, "Kamailio answered REGISTER: " + k.log());
                        assertEquals(kr, ask(a, new InetSocketAddress(oIp, 5060), "REGISTER", contact), user + " registering " + contact);
                    }
                }
            }

            for (String cmd : List.of("permissions.addressDump", "permissions.subnetDump", "permissions.domainDump",
                    "permissions.trustedDump", "permissions.allowUri routing sip:x@else.test sip:premium@example.test",
                    "permissions.allowUri routing sip:x@trusted.test sip:premium@example.test")) {
                String kd = rpc(kDir, cmd), od = rpc(oDir, cmd);
                assertEquals(kd, od, cmd);
            }
            assertTrue(rpc(oDir, "permissions.addressDump").contains("ip: 127.0.62.20"), "dump lists the addresses");

            // a new address: not let in until the table is reloaded
            kamctl(tmp, kDb, "address", "add", "1", NET + "50", "32", "0", "late");
            kamctl(tmp, oDb, "address", "add", "1", NET + "50", "32", "0", "late");
            String[] late = {"50", "0", "sip:eve@else.test", "sip:x@example.test"};
            assertTrue(ask(late, new InetSocketAddress(oIp, 5060), "OPTIONS", null).startsWith("SIP/2.0 403 "), "before reload");
            assertEquals(rpc(kDir, "permissions.addressReload"), rpc(oDir, "permissions.addressReload"));
            assertEquals("Reload OK", rpc(oDir, "permissions.addressReload"));
            assertEquals(rpc(kDir, "permissions.trustedReload"), rpc(oDir, "permissions.trustedReload"));
            String kr = ask(late, new InetSocketAddress(kIp, 5060), "OPTIONS", null);
            String or = ask(late, new InetSocketAddress(oIp, 5060), "OPTIONS", null);
            assertEquals(kr, or, "after reload");
            assertTrue(or.startsWith("SIP/2.0 200 "), or);
            assertEquals(rpc(kDir, "permissions.addressDump"), rpc(oDir, "permissions.addressDump"), "dump after reload");
        } finally {
            deleteTree(tmp);
        }
    }

    /**
     * db_mode 0: the trusted table is queried per request (rows by ascending priority), so a row
     * inserted while running counts at once; there is no cached table to dump or reload.
     */
    @org.junit.jupiter.api.Test
    void trustedQueriedPerRequest() throws Exception {
        TestDatabases.requirePeer(Kamailio.installed() && Files.isExecutable(Path.of("/usr/sbin/kamctl"))
                && Files.isExecutable(Path.of("/usr/sbin/kamcmd")) && Files.isExecutable(Path.of("/usr/bin/sqlite3")),
                "kamailio 5.6.3, kamctl, kamcmd or sqlite3 not installed");
        String kIp = NET + "7", oIp = NET + "8";
        Path tmp = Files.createTempDirectory("kemi-perm0");
        Path kDb = tmp.resolve("kamailio.sqlite"), oDb = tmp.resolve("ours.sqlite");
        KamailioScripts.load("sqlite:///" + kDb);
        assertEquals(0, new CommandLine(new Main()).execute("db", "init", "sqlite:///" + oDb));
        for (Path db : List.of(kDb, oDb)) provision(tmp, db);
        PermScripts fe = PermScripts.NATIVE;
        Path kDir = Files.createDirectories(tmp.resolve("k"));
        for (Map.Entry<String, String> f : fe.files().entrySet()) Files.writeString(kDir.resolve(f.getKey()), f.getValue());
        Path kCfg = Files.writeString(kDir.resolve("kamailio.cfg"), fe.cfg(kIp, "sqlite:///" + kDb, 0).replace("{dir}", kDir.toString()));
        try (Kamailio k = Kamailio.startBound(kCfg, kDir, List.of(new InetSocketAddress(kIp, 5060)));
             ProxyUnderTest o = ProxyUnderTest.start(fe.cfg(oIp, "sqlite:///" + oDb, 0), fe.files())) {
            Path oDir = o.cfgFile().getParent();
            List<String[]> asks = List.of(
                    new String[] {"40", "0", "sip:alice@trusted.test", "sip:9001@example.test"},
                    new String[] {"40", "0", "sip:bob@else.test", "sip:open@example.test"},
                    new String[] {"41", "0", "sip:dave@else.test", "sip:100@example.test"},
                    new String[] {"42", "0", "sip:frank@else.test", "sip:100@example.test"});
            for (int round = 0; round < 2; round++) {
                for (String[] a : asks) {
                    String kr = ask(a, new InetSocketAddress(kIp, 5060), "OPTIONS", null);
                    assertNotNull(kr, "Kamailio answered: " + k.log());
                    assertEquals(kr, ask(a, new InetSocketAddress(oIp, 5060), "OPTIONS", null), "round " + round + " from " + a[0] + " " + a[2]);
                }
                for (Path db : List.of(kDb, oDb)) {
                    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
                        st.executeUpdate("INSERT INTO trusted (src_ip, proto, from_pattern, tag, priority) VALUES ('127.0.62.42', 'udp', '^sip:frank@', 'new', 0)");
                    }
                }
            }
            assertTrue(ask(asks.get(3), new InetSocketAddress(oIp, 5060), "OPTIONS", null).contains(" t=1 "), "a row added while running counts");
            for (String cmd : List.of("permissions.trustedDump", "permissions.trustedReload")) {
                assertEquals(rpc(kDir, cmd), rpc(oDir, cmd), cmd);
            }
        } finally {
            deleteTree(tmp);
        }
    }

    /** The rows, as kamctl writes them, plus trusted rows with the columns kamctl has no options for. */
    private static void provision(Path tmp, Path db) throws Exception {
        kamctl(tmp, db, "address", "add", "1", NET + "20", "32", "0", "alpha");
        kamctl(tmp, db, "address", "add", "1", NET + "21", "32", "5070", "bport");
        kamctl(tmp, db, "address", "add", "2", NET + "24", "29", "0", "net");
        kamctl(tmp, db, "address", "add", "4", NET + "0", "24");
        kamctl(tmp, db, "address", "add", "3", "example.com", "0", "5060", "dom");
        kamctl(tmp, db, "address", "add", "2", "::1", "128", "0", "v6");
        kamctl(tmp, db, "address", "add", "3", "2001:db8::", "32");
        kamctl(tmp, db, "trusted", "add", NET + "40", "any", "^sip:.*@trusted\\.test$", "ttag");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO trusted (src_ip, proto, from_pattern, ruri_pattern, tag, priority) VALUES "
                    + "('127.0.62.40', 'tcp', NULL, NULL, 'tcp-only', 3), "
                    + "('127.0.62.41', 'udp', NULL, '^sip:1\\(0\\)*@', 'ruri', 0), "
                    + "('127.0.62.41', 'any', 'x+', NULL, NULL, 7), "
                    + "('127.0.62.30', 'none', NULL, NULL, 'off', 0)");
        }
    }

    /** kamctl with a private ~/.kamctlrc pointing at the SQLite file. */
    static void kamctl(Path home, Path db, String... args) {
        kamctlOut(home, db, null, args);
    }

    /** kamctl with a private ~/.kamctlrc pointing at the SQLite file and (when not null) the proxy's JSON-RPC FIFO; its output. */
    static String kamctlOut(Path home, Path db, Path fifo, String... args) {
        try {
            Files.writeString(home.resolve(".kamctlrc"), "DBENGINE=SQLITE\nDB_PATH=" + db + "\nVERIFY_ACL=0\n"
                    + (fifo == null ? "" : "CTLENGINE=RPCFIFO\nRPCFIFOPATH=" + fifo + "\n"));
            ProcessBuilder pb = new ProcessBuilder("/usr/sbin/kamctl");
            pb.command().addAll(List.of(args));
            pb.environment().put("HOME", home.toString());
            Process p = pb.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), "kamctl " + String.join(" ", args) + ": " + out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String rpc(Path dir, String cmd) {
        return kamcmd(dir.resolve("ctl.sock"), cmd);
    }

    static String kamcmd(Path ctl, String cmd) {
        List<String> c = new ArrayList<>(List.of("/usr/sbin/kamcmd", "-s", "unix:" + ctl));
        c.addAll(List.of(cmd.split(" ")));
        return Peers.run(c).strip();
    }

    /**
     * One request from NET+a[0] (port a[1], 0 = any) with From a[2] and R-URI a[3]; the reply's
     * first line, or null when none comes within 30 s.
     */
    static String ask(String[] a, InetSocketAddress proxy, String method, String contact) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(NET + a[0]), Integer.parseInt(a[1])))) {
            String local = NET + a[0] + ":" + s.getLocalPort();
            String callId = "perm-" + System.nanoTime();
            String to = method.equals("REGISTER") ? a[2] : a[3];
            String msg = method + " " + a[3] + " SIP/2.0\r\nVia: SIP/2.0/UDP " + local + ";branch=z9hG4bK-" + callId
                    + "\r\nMax-Forwards: 70\r\nFrom: <" + a[2] + ">;tag=f1\r\nTo: <" + to + ">\r\nCall-ID: " + callId
                    + "\r\nCSeq: 1 " + method + "\r\n" + (contact == null ? "" : "Contact: " + contact + "\r\n")
                    + "Content-Length: 0\r\n\r\n";
            byte[] b = msg.getBytes(StandardCharsets.UTF_8);
            s.send(new DatagramPacket(b, b.length, proxy));
            s.setSoTimeout(30000); // GraalPy warms up on the first request of a loaded machine
            byte[] buf = new byte[65535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            String r = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            return r.substring(0, r.indexOf("\r\n"));
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp dir is harmless
        }
    }
}
