package dev.kemi.tests.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kemi.runtime.boot.ProxyLoader;
import dev.kemi.runtime.core.SipProxy;
import dev.kemi.tests.Kamailio;
import dev.kemi.tests.KemiCli;
import dev.kemi.tests.control.Peers;
import dev.kemi.tests.db.TestDatabases;
import dev.kemi.tests.peers.Baresip;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's "baresip over TLS registers and calls": Debian's stock /etc/kamailio/kamailio.cfg
 * unchanged, with WITH_TLS, WITH_AUTH and WITH_USRLOCDB on SQLite defined in kamailio-local.cfg
 * (which also points the stock cfg's tls.cfg path at a copy of the stock tls.cfg using the test
 * CA's files, through #!subst). Two baresip phones register over TLS with digest auth, one calls
 * the other (the proxy opens a TLS connection to the callee's contact and verifies its
 * certificate, as the stock [client:default] asks), the call is answered and hung up. The same on
 * Kamailio 5.6.3 with its tls module must give the same outcome, ul.dump and tls.list included.
 * Ours on 127.0.34.1 (phones .10/.11), Kamailio on 127.0.34.2 (phones .20/.21).
 */
class StockTlsBaresipTest {
    static final Path STOCK = Path.of("/etc/kamailio/kamailio.cfg");
    static final Path STOCK_TLS = Path.of("/etc/kamailio/tls.cfg");
    static final String OURS = "127.0.34.1", THEIRS = "127.0.34.2";
    @TempDir
    static Path tmp;
    static TestCerts.Issued ca;

    /** What one run observed; compared between us and Kamailio. */
    record Outcome(boolean bothRegistered, Set<String> contactTransports, Set<String> contactSockets,
                   int establishedTlsConnections, boolean established, boolean mediaBothWays, boolean bothClosed) {}

    @BeforeAll
    static void peers() {
        TestDatabases.requirePeer(Files.isRegularFile(STOCK) && Files.isRegularFile(STOCK_TLS), STOCK + " and " + STOCK_TLS);
        TestDatabases.requirePeer(Baresip.installed(), "baresip (with ctrl_tcp)");
        TestDatabases.requirePeer(Files.isExecutable(Path.of("/usr/sbin/kamcmd")), "kamcmd");
        ca = TestCerts.ca(tmp, "ca");
    }

    @Test
    void stockConfigWithTlsRunsHereAsOnKamailio() throws Exception {
        Path dir = setUp(OURS);
        Outcome ours;
        try (SipProxy proxy = SipProxy.start(ProxyLoader.proxyConfig(
                ProxyLoader.load(dir.resolve("kamailio.cfg"), Set.of()), Map.of("rundir", dir.toString())))) {
            ours = scenario(OURS, "127.0.34.1", dir);
        }
        System.out.println("stock cfg + TLS on kemi: " + ours);
        assertTrue(ours.bothRegistered() && ours.established() && ours.mediaBothWays() && ours.bothClosed(), ours.toString());
        assertEquals(Set.of("tls"), ours.contactTransports());
        assertEquals(Set.of("tls:" + OURS + ":5061"), ours.contactSockets());

        TestDatabases.requirePeer(Kamailio.installed() && Files.isRegularFile(Kamailio.MODULES.resolve("tls.so")), "kamailio 5.6.3 with kamailio-tls-modules");
        Path kdir = setUp(THEIRS);
        Outcome theirs;
        try (Kamailio k = Kamailio.start(kdir.resolve("kamailio.cfg"), kdir, 64)) {
            Peers.await(() -> Files.exists(kdir.resolve("kamailio_ctl")) || !k.isAlive(), Duration.ofSeconds(60), "Kamailio's ctl socket");
            assertTrue(k.isAlive(), () -> "kamailio exited: " + k.log());
            theirs = scenario(THEIRS, "127.0.34.2", kdir);
        }
        System.out.println("stock cfg + TLS on kamailio: " + theirs);
        assertEquals(new Outcome(theirs.bothRegistered(), Set.of("tls"), Set.of("tls:" + OURS + ":5061"),
                theirs.establishedTlsConnections(), theirs.established(), theirs.mediaBothWays(), theirs.bothClosed()), ours);
        assertEquals(Set.of("tls:" + THEIRS + ":5061"), theirs.contactSockets());
    }

    /** A dir with a byte-for-byte copy of the stock cfg, the stock tls.cfg on the test CA's files, a local cfg and a provisioned SQLite db. */
    private static Path setUp(String ip) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(ip));
        Files.copy(STOCK, dir.resolve("kamailio.cfg"));
        TestCerts.Issued server = TestCerts.leaf(dir, "proxy", ca, ip, ip);
        String tls = Files.readString(STOCK_TLS)
                .replace("/etc/kamailio/kamailio-selfsigned.key", server.keyFile().toString())
                .replace("/etc/kamailio/kamailio-selfsigned.pem", server.certFile().toString());
        // the stock [client:default] verifies and requires the peer's certificate: it needs the CA that signed the phones'
        tls = tls.replaceFirst("(?m)^\\[client:default\\]$", "[client:default]\nca_list = " + ca.certFile());
        assertTrue(tls.contains(server.keyFile().toString()) && tls.contains("ca_list = " + ca.certFile()), "stock tls.cfg changed: " + tls);
        Files.writeString(dir.resolve("tls.cfg"), tls);
        String url = "sqlite:///" + dir.resolve("kamailio.sqlite");
        Files.writeString(dir.resolve("kamailio-local.cfg"), String.join("\n",
                "#!define WITH_AUTH",
                "#!define WITH_USRLOCDB",
                "#!define WITH_TLS",
                "#!define DBURL \"" + url + "\"",
                "#!subst \"|" + STOCK_TLS + "|" + dir.resolve("tls.cfg") + "|\"",
                "loadmodule \"db_sqlite.so\"",
                "listen=udp:" + ip + ":5060",
                "listen=tcp:" + ip + ":5060",
                "listen=tls:" + ip + ":5061",
                ""));
        cli("db", "init", url);
        cli("db", "add", "alice", ip, "alice-pw", "--url", url);
        cli("db", "add", "bob", ip, "bob-pw", "--url", url);
        return dir;
    }

    private static Outcome scenario(String ip, String phones, Path rundir) throws IOException {
        Path dir = rundir.resolve("phones");
        try (Baresip bob = phone(dir, "bob", phones + "1", 5072, ip);
             Baresip alice = phone(dir, "alice", phones + "0", 5074, ip)) {
            bob.awaitEvent("REGISTER_OK", Duration.ofSeconds(30));
            alice.awaitEvent("REGISTER_OK", Duration.ofSeconds(30));
            String ul = Peers.kamcmd(rundir.resolve("kamailio_ctl"), "ul.dump");
            assertTrue(ul.contains("AoR: alice\n") && ul.contains("AoR: bob\n"), ip + " ul.dump:\n" + ul);
            Set<String> transports = all(ul, "Address: sip:[^\\n]*;transport=(\\w+)");
            Set<String> sockets = all(ul, "Socket: (\\S+)");
            alice.dial("sip:bob@" + ip);
            bob.awaitEvent("CALL_INCOMING", Duration.ofSeconds(30));
            bob.accept();
            alice.awaitEvent("CALL_ESTABLISHED", Duration.ofSeconds(20));
            bob.awaitEvent("CALL_ESTABLISHED", Duration.ofSeconds(20));
            // alice's and bob's REGISTER connections and the proxy's to bob's contact for the INVITE
            String list = Peers.kamcmd(rundir.resolve("kamailio_ctl"), "tls.list");
            int established = count(list, "state: established");
            boolean media = alice.awaitMediaBothWays(Duration.ofSeconds(30)) != null && bob.awaitMediaBothWays(Duration.ofSeconds(30)) != null;
            alice.hangup();
            alice.awaitEvent("CALL_CLOSED", Duration.ofSeconds(15));
            bob.awaitEvent("CALL_CLOSED", Duration.ofSeconds(15));
            return new Outcome(true, transports, sockets, established, true, media, true);
        }
    }

    /** A phone registering over TLS (Contact ;transport=tls on its TLS port, sip port + 1) with a certificate of the test CA. */
    private static Baresip phone(Path dir, String user, String ip, int port, String proxy) throws IOException {
        Path d = Files.createDirectories(dir.resolve(user));
        TestCerts.Issued cert = TestCerts.leaf(d, user + "-cert", ca, user, ip);
        Path both = d.resolve(user + "-both.pem");
        Files.writeString(both, Files.readString(cert.certFile()) + Files.readString(cert.keyFile()));
        return Baresip.start(d, ip, port, "sip:" + user + "@" + proxy + ";transport=tls", user + "-pw", "",
                List.of("sip_cafile " + ca.certFile(), "sip_certificate " + both));
    }

    private static Set<String> all(String text, String regex) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }

    private static void cli(String... args) {
        KemiCli.Result r = KemiCli.run(args);
        assertEquals(0, r.exitCode(), () -> "kemi " + String.join(" ", args) + ": " + r.out() + r.err());
    }



}
