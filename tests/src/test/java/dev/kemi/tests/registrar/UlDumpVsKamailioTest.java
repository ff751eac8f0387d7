package dev.kemi.tests.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.control.Peers;
import dev.kemi.tests.db.TestDatabases;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * usrloc's RPC output, Kamailio 5.6.3 and us on the same cfg (db_mode 0, ctl, jsonrpcs over
 * xhttp) after the same REGISTERs (two AoRs, two contacts each, one with every method): kamcmd
 * prints byte-identical text (repeated "Contact" members, "u" fields as 32-bit ints) and jsonrpcs
 * the same JSON, once times, ruids and addresses are masked.
 */
class UlDumpVsKamailioTest {
    private static final String KAM_IP = "127.0.40.9", OUR_IP = "127.0.40.1";
    private static final String CFG = """
            #!KAMAILIO
            children=2
            tcp_children=1
            auto_aliases=no
            tcp_accept_no_cl=yes
            listen=udp:{ip}:5060
            listen=tcp:{ip}:5060
            rundir="{dir}"
            loadmodule "xhttp.so"
            loadmodule "jsonrpcs.so"
            loadmodule "sl.so"
            loadmodule "pv.so"
            loadmodule "textops.so"
            loadmodule "usrloc.so"
            loadmodule "registrar.so"
            loadmodule "ctl.so"
            modparam("jsonrpcs", "pretty_format", 1)
            modparam("jsonrpcs", "transport", 1)
            modparam("usrloc", "db_mode", 0)
            request_route {
                if (is_method("REGISTER")) {
                    save("location");
                    exit;
                }
                sl_send_reply("404", "Not here");
            }
            event_route[xhttp:request] {
                jsonrpc_dispatch();
                exit;
            }
            """;
    private static Path kamDir;
    private static Kamailio kamailio;
    private static ProxyUnderTest ours;

    @BeforeAll
    static void start() throws IOException {
        TestDatabases.requirePeer(Kamailio.installed(), "kamailio 5.6.3 is not installed");
        TestDatabases.requirePeer(Files.isExecutable(Path.of("/usr/sbin/kamcmd")), "kamcmd is not installed");
        kamDir = Files.createTempDirectory("kemi-uldump-kamailio");
        Path cfg = kamDir.resolve("kamailio.cfg");
        Files.writeString(cfg, CFG.replace("{ip}", KAM_IP).replace("{dir}", kamDir.toString()));
        kamailio = Kamailio.startBound(cfg, kamDir, List.of(Proxies.sip(KAM_IP)));
        ours = ProxyUnderTest.start(CFG.replace("{ip}", OUR_IP));
        Peers.await(() -> Files.exists(kamDir.resolve("kamailio_ctl")) || !kamailio.isAlive(), Duration.ofSeconds(30), "Kamailio's ctl socket");
        assertTrue(kamailio.isAlive(), () -> "kamailio exited: " + kamailio.log());
        for (String ip : List.of(KAM_IP, OUR_IP)) register(ip);
    }

    @AfterAll
    static void stop() {
        if (ours != null) ours.close();
        if (kamailio != null) kamailio.close();
    }

    /** alice: two contacts without Allow (all methods: 0xffffffff); bob: one with q and Allow, one without. */
    private static void register(String ip) {
        try (Phone phone = new Phone(ip.equals(KAM_IP) ? "127.0.40.40" : "127.0.40.41")) {
            String[][] regs = {
                    {"alice", "ul-c1", "Contact: <sip:alice@10.0.0.1:5060>;expires=300"},
                    {"alice", "ul-c2", "Contact: <sip:alice@10.0.0.2:5062>;expires=600", "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS"},
                    {"bob", "ul-c3", "Contact: <sip:bob@10.0.0.3:5060>;q=0.5", "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE"},
                    {"bob", "ul-c4", "Contact: <sip:bob@10.0.0.4:5060;transport=tcp>;expires=900"}};
            for (String[] r : regs) {
                String reply = phone.request(Proxies.sip(ip), phone.register(r[0], "example.test", r[1], 1, null,
                        java.util.Arrays.copyOfRange(r, 2, r.length)));
                assertTrue(reply != null && reply.startsWith("SIP/2.0 200"), ip + " REGISTER " + r[1] + ": " + reply);
            }
        }
    }

    /** Values that differ between two runs: remaining seconds, times, ruids, the proxy's address. */
    private static String masked(String out, String ip) {
        return out.replaceAll("(\"?Expires\"?:\\s+)\\d+", "$1EXPIRES")
                .replaceAll("(\"?(?:Last-Keepalive|Last-Modified)\"?:\\s+)\\d+", "$1TIME")
                .replaceAll("uloc-[0-9a-f]+-[0-9a-f]+-\\d+", "RUID")
                .replace(ip, "PROXY");
    }

    private static String kamcmd(Path dir, String... args) {
        return Peers.kamcmd(dir.resolve("kamailio_ctl"), args);
    }

    @Test
    void kamcmdPrintsTheSameText() {
        Path ourDir = ours.cfgFile().getParent();
        for (String[] cmd : List.of(new String[] {"ul.dump"}, new String[] {"ul.dump", "brief"}, new String[] {"ul.lookup", "location", "alice"})) {
            String theirs = kamcmd(kamDir, cmd), mine = kamcmd(ourDir, cmd);
            assertTrue(theirs.startsWith("{\n"), String.join(" ", cmd) + " on Kamailio: " + theirs);
            assertEquals(masked(theirs, KAM_IP), masked(mine, OUR_IP), String.join(" ", cmd));
        }
        String dump = kamcmd(ourDir, "ul.dump");
        assertTrue(dump.contains("\t\t\t\t\t\tMethods: -1\n") && dump.contains("\t\t\t\t\t\tContact: {\n"), dump);
    }

    @Test
    void jsonrpcsAnswersTheSameJson() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        String[] out = new String[2];
        int i = 0;
        for (String ip : List.of(KAM_IP, OUR_IP)) {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + ip + ":5060/RPC")).timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"ul.dump\",\"id\":1}")).build();
            out[i++] = masked(http.send(req, HttpResponse.BodyHandlers.ofString()).body(), ip);
        }
        assertTrue(out[0].contains("\"Contacts\":\t[{"), "Kamailio: " + out[0]);
        assertTrue(out[0].contains("\"Methods\":\t4294967295"), "Kamailio: " + out[0]);
        assertEquals(out[0], out[1]);
    }
}
