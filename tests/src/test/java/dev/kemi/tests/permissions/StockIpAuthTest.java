package dev.kemi.tests.permissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.boot.ProxyLoader;
import dev.kemi.runtime.core.SipProxy;
import dev.kemi.tests.Kamailio;
import dev.kemi.tests.KemiCli;
import dev.kemi.tests.db.TestDatabases;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Debian's stock kamailio.cfg, unchanged, with WITH_AUTH and WITH_IPAUTH in a kamailio-local.cfg
 * on a database made by {@code kemi db init} and an address added by {@code kamctl address add}:
 * a MESSAGE from that address skips authentication (404 for the unknown callee), one from
 * another address of the block is challenged (407); after {@code kamctl address add} and
 * {@code kamctl address reload} (over the stock cfg's JSON-RPC FIFO) it is let in, and
 * {@code kamctl address dump} lists it. Kamailio 5.6.3 on the same files answers the same, and
 * kamcmd's and kamctl's dumps print the same text.
 */
class StockIpAuthTest {
    static final Path STOCK = Path.of("/etc/kamailio/kamailio.cfg");
    static final String OURS = "127.0.62.100", THEIRS = "127.0.62.101";

    @Test
    void addressTableSkipsAuthentication() throws Exception {
        TestDatabases.requirePeer(Files.isRegularFile(STOCK) && Kamailio.installed() && Files.isExecutable(Path.of("/usr/sbin/kamctl")),
                "Debian's kamailio 5.6.3 with kamctl not installed");
        Path dir = setUp(OURS), kdir = null;
        try {
        List<String> ours;
        try (SipProxy proxy = SipProxy.start(ProxyLoader.proxyConfig(
                ProxyLoader.load(dir.resolve("kamailio.cfg"), Set.of()), Map.of("rundir", dir.toString())))) {
            ours = scenario(OURS, dir);
        }
        assertTrue(ours.get(0).startsWith("SIP/2.0 404"), "allowed source: " + ours);
        assertTrue(ours.get(1).startsWith("SIP/2.0 407"), "other source: " + ours);
        assertTrue(ours.get(2).contains("ip: 127.0.62.110"), ours.get(2));
        assertTrue(ours.get(4).startsWith("SIP/2.0 404"), "let in after kamctl address reload: " + ours);
        assertTrue(ours.get(5).contains("127.0.62.111"), "kamctl address dump: " + ours.get(5));

        kdir = setUp(THEIRS);
        List<String> theirs;
        try (Kamailio k = Kamailio.startBound(kdir.resolve("kamailio.cfg"), kdir, List.of(new InetSocketAddress(THEIRS, 5060)))) {
            theirs = scenario(THEIRS, kdir);
        }
        assertEquals(theirs, ours);
        } finally {
            PermissionsVsKamailioTest.deleteTree(dir);
            if (kdir != null) PermissionsVsKamailioTest.deleteTree(kdir);
        }
    }

    private static Path setUp(String ip) throws Exception {
        Path dir = Files.createTempDirectory("kemi-stock-ipauth");
        Files.copy(STOCK, dir.resolve("kamailio.cfg"));
        Path db = dir.resolve("kamailio.sqlite");
        String url = "sqlite:///" + db;
        Files.writeString(dir.resolve("kamailio-local.cfg"), String.join("\n",
                "#!define WITH_AUTH", "#!define WITH_IPAUTH", "#!define DBURL \"" + url + "\"",
                "loadmodule \"db_sqlite.so\"", "listen=udp:" + ip + ":5060", ""));
        KemiCli.Result r = KemiCli.run("db", "init", url);
        assertEquals(0, r.exitCode(), r.out() + r.err());
        PermissionsVsKamailioTest.kamctl(dir, db, "address", "add", "1", "127.0.62.110", "32", "0", "pbx");
        return dir;
    }

    /**
     * The status lines for a MESSAGE from the allowed address and from another one, the address
     * dump; then kamctl adds the other one and reloads the table over the JSON-RPC FIFO, as an
     * operator would, and that MESSAGE again and kamctl's dump.
     */
    private static List<String> scenario(String ip, Path rundir) {
        InetSocketAddress proxy = new InetSocketAddress(ip, 5060);
        String[] other = {"111", "0", "sip:pbx@" + ip, "sip:nobody@" + ip};
        String allowed = PermissionsVsKamailioTest.ask(new String[] {"110", "0", "sip:pbx@" + ip, "sip:nobody@" + ip}, proxy, "MESSAGE", null);
        String refused = PermissionsVsKamailioTest.ask(other, proxy, "MESSAGE", null);
        String dump = PermissionsVsKamailioTest.kamcmd(rundir.resolve("kamailio_ctl"), "permissions.addressDump");
        Path db = rundir.resolve("kamailio.sqlite"), fifo = rundir.resolve("kamailio_rpc.fifo");
        PermissionsVsKamailioTest.kamctl(rundir, db, "address", "add", "1", "127.0.62.111", "32", "0", "late");
        String reload = PermissionsVsKamailioTest.kamctlOut(rundir, db, fifo, "address", "reload");
        String after = PermissionsVsKamailioTest.ask(other, proxy, "MESSAGE", null);
        String kamctlDump = PermissionsVsKamailioTest.kamctlOut(rundir, db, fifo, "address", "dump");
        return List.of(String.valueOf(allowed), String.valueOf(refused), dump, noId(reload), String.valueOf(after), noId(kamctlDump));
    }

    /** kamctl numbers its JSON-RPC requests with its pid. */
    private static String noId(String jsonRpcOut) {
        return jsonRpcOut.replaceAll("\"id\": \\d+", "\"id\": ID");
    }
}
