package dev.kemi.tests.control;

import static org.junit.jupiter.api.Assertions.*;

import dev.kemi.runtime.boot.ProxyLoader;
import dev.kemi.runtime.core.SipProxy;
import dev.kemi.tests.Kamailio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The control surfaces Kamailio's tools use, against Kamailio 5.6.3 and us on the same cfg: the
 * real kamcmd over the ctl socket, curl on the SIP TCP port (xhttp + jsonrpcs, the stock cfg's
 * WITH_JSONRPC block), the jsonrpcs FIFO written with plain file IO as kamctl does, the datagram
 * socket with socat. Shapes must be identical; values (versions, pids, times) may differ.
 */
class ControlSurfacesTest {
    private static final String KAMAILIO_IP = "127.0.16.9", KEMI_IP = "127.0.16.1";
    private static final int PORT = 15060;
    private static final String CFG = """
            #!KAMAILIO
            debug=2
            children=2
            tcp_children=1
            tcp_accept_no_cl=yes
            listen=udp:{ip}:{port}
            listen=tcp:{ip}:{port}
            rundir="{dir}"
            loadmodule "xhttp.so"
            loadmodule "jsonrpcs.so"
            loadmodule "kex.so"
            loadmodule "tm.so"
            loadmodule "sl.so"
            loadmodule "pv.so"
            loadmodule "ctl.so"
            {extra}
            modparam("jsonrpcs", "pretty_format", 1)
            modparam("jsonrpcs", "transport", 7)
            request_route {
                sl_send_reply("404", "Not here");
            }
            event_route[xhttp:request] {
                set_reply_close();
                set_reply_no_connect();
                if (src_ip != 127.0.0.1) {
                    xhttp_reply("403", "Forbidden", "text/html", "<html><body>Not allowed from $si</body></html>");
                    exit;
                }
                if ($hu =~ "^/RPC") {
                    jsonrpc_dispatch();
                    exit;
                }
                xhttp_reply("200", "OK", "text/html", "<html><body>Wrong URL $hu</body></html>");
                exit;
            }
            """;
    static Path kamDir, kemiDir;
    static Kamailio kamailio;
    static SipProxy kemi;

    @BeforeAll
    static void start() throws IOException {
        Peers.require("kamailio");
        Peers.require("kamcmd");
        kamDir = Files.createTempDirectory("ctl-kamailio");
        kemiDir = Files.createTempDirectory("ctl-kemi");
        Path kcfg = kamDir.resolve("kamailio.cfg");
        Files.writeString(kcfg, cfg(KAMAILIO_IP, kamDir, "loadmodule \"cfg_rpc.so\""));
        kamailio = Kamailio.start(kcfg, kamDir, 64);
        Path cfg = kemiDir.resolve("kamailio.cfg");
        Files.writeString(cfg, cfg(KEMI_IP, kemiDir, ""));
        kemi = SipProxy.start(ProxyLoader.proxyConfig(ProxyLoader.load(cfg, Set.of())));
        Peers.await(() -> Files.exists(kamDir.resolve("kamailio_ctl")) && Files.exists(kamDir.resolve("kamailio_rpc.sock"))
                || !kamailio.isAlive(), Duration.ofSeconds(30), "Kamailio's ctl socket");
        assertTrue(kamailio.isAlive(), () -> "kamailio exited: " + kamailio.log());
    }

    @AfterAll
    static void stop() {
        if (kemi != null) kemi.close();
        if (kamailio != null) kamailio.close();
    }

    private static String cfg(String ip, Path dir, String extra) {
        return CFG.replace("{ip}", ip).replace("{port}", Integer.toString(PORT)).replace("{dir}", dir.toString()).replace("{extra}", extra);
    }

    private static String both(String... args) {
        return Peers.kamcmd(kamDir.resolve("kamailio_ctl"), args) + "\u0000" + Peers.kamcmd(kemiDir.resolve("kamailio_ctl"), args);
    }

    /** kamcmd's output of one command from Kamailio [0] and us [1]. */
    private static String[] kamcmd(String... args) {
        return both(args).split("\u0000", -1);
    }

    private static void sameShape(String... args) {
        String[] out = kamcmd(args);
        assertFalse(out[0].isBlank(), "kamailio printed nothing for " + String.join(" ", args));
        assertEquals(Peers.kamcmdShape(out[0]), Peers.kamcmdShape(out[1]), "kamcmd " + String.join(" ", args) + ":\n" + out[1]);
    }

    @Test
    void kamcmdVersionUptimeAndTmStats() {
        sameShape("core.version");
        sameShape("core.uptime");
        sameShape("tm.stats");
        assertTrue(kamcmd("core.version")[1].contains("kamailio 5.6.3"));
    }

    @Test
    void kamcmdStructsWithArraysAndNamedMembers() {
        sameShape("core.sockets_list");
        sameShape("core.aliases_list");
        sameShape("core.tcp_info");
        sameShape("core.shmmem");
        sameShape("core.info");
    }

    @Test
    void kamcmdProcessListEntriesAreShapedAlike() {
        String[] out = kamcmd("core.psx");
        String first = "{\n\tIDX: V\n\tPID: V\n\tDSC: V\n}\n";
        assertTrue(Peers.kamcmdShape(out[0]).startsWith(first), out[0]);
        assertTrue(Peers.kamcmdShape(out[1]).startsWith(first), out[1]);
        assertEquals(Set.of("{\n\tIDX: V\n\tPID: V\n\tDSC: V\n}"), Arrays.stream(Peers.kamcmdShape(out[1]).split("(?<=})\n")).collect(Collectors.toSet()));
    }

    @Test
    void lsListsOnlyCommandsKamailioHas() {
        String[] out = kamcmd("ls");
        Set<String> theirs = Set.of(out[0].split("\n"));
        Set<String> ours = Set.of(out[1].split("\n"));
        assertTrue(ours.containsAll(Set.of("core.version", "core.uptime", "tm.stats", "stats.get_statistics", "cfg.get", "system.listMethods")), out[1]);
        Set<String> extra = ours.stream().filter(m -> !theirs.contains(m)).collect(Collectors.toSet());
        assertEquals(Set.of(), extra, "commands Kamailio does not have");
    }

    @Test
    void statisticsPrintAsKamailioPrintsThem() {
        String[] out = kamcmd("stats.get_statistics", "shmem:");
        assertEquals(names(out[0]), names(out[1]));
        for (String line : out[1].split("\n")) assertTrue(line.matches("shmem:\\w+ = \\d+"), line);
        String all = kamcmd("stats.get_statistics", "all")[1];
        for (String line : all.split("\n")) assertTrue(line.matches("\\w+:\\w+ = -?\\d+"), line);
        assertEquals("", kamcmd("stats.reset_statistics", "shmem:")[1]);
    }

    private static List<String> names(String statLines) {
        return Arrays.stream(statLines.split("\n")).map(l -> l.substring(0, l.indexOf(" = "))).toList();
    }

    @Test
    void cfgGetSetAndFaults() {
        String[] got = kamcmd("cfg.get", "core", "debug");
        assertEquals("2\n", got[0]);
        assertEquals("2\n", got[1]);
        String[] set = kamcmd("cfg.set_now_int", "core", "debug", "2");
        assertEquals(set[0], set[1]);
        String[] missing = kamcmd("cfg.get", "core", "nosuch");
        assertEquals(missing[0], missing[1]);
        String[] unknown = kamcmd("nosuch.cmd");
        assertEquals("error: 500 - command nosuch.cmd not found\n", unknown[0]);
        assertEquals(unknown[0], unknown[1]);
    }

    /** curl -s -i against both: {kamailio, us}. */
    private static String[] curlBoth(String path, String... args) {
        String[] out = new String[2];
        int i = 0;
        for (String ip : List.of(KAMAILIO_IP, KEMI_IP)) {
            List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-s", "-i", "-m", "10"));
            cmd.addAll(List.of(args));
            cmd.add("http://" + ip + ":" + PORT + path);
            out[i++] = Peers.run(cmd);
        }
        return out;
    }

    /** Status line, header names in order, then the body's JSON shape. */
    private static String httpShape(String response) {
        int split = response.indexOf("\r\n\r\n");
        assertTrue(split > 0, response);
        String[] head = response.substring(0, split).split("\r\n");
        StringBuilder sb = new StringBuilder(head[0]).append('\n');
        for (int i = 1; i < head.length; i++) sb.append(head[i], 0, head[i].indexOf(':')).append('\n');
        return sb.append(Peers.jsonShape(response.substring(split + 4))).toString();
    }

    @Test
    void curlPostRpcAnswersLikeKamailio() {
        Peers.require("curl");
        String[] out = curlBoth("/RPC", "-X", "POST", "-d", "{\"jsonrpc\":\"2.0\",\"method\":\"core.version\",\"id\":1}");
        assertTrue(out[0].startsWith("HTTP/1.1 200 OK"), out[0]);
        assertEquals(httpShape(out[0]), httpShape(out[1]), out[1]);
        assertTrue(out[1].contains("\"result\":\t\"kemi "), out[1]);
        String[] psx = curlBoth("/RPC", "-X", "POST", "-d", "{\"jsonrpc\":\"2.0\",\"method\":\"tm.stats\",\"id\":\"x\"}");
        assertEquals(httpShape(psx[0]), httpShape(psx[1]), psx[1]);
    }

    @Test
    void curlUnknownMethodAndOtherUrls() {
        Peers.require("curl");
        String[] unknown = curlBoth("/RPC", "-X", "POST", "-d", "{\"jsonrpc\":\"2.0\",\"method\":\"nosuch\",\"id\":1}");
        assertTrue(unknown[1].startsWith("HTTP/1.1 500 Method Not Found\r\n"), unknown[1]);
        assertEquals(body(unknown[0]), body(unknown[1]));
        String[] other = curlBoth("/foo");
        assertEquals("<html><body>Wrong URL /foo</body></html>", body(other[1]));
        assertEquals(body(other[0]), body(other[1]));
        assertEquals(httpShape(other[0]).lines().limit(4).toList(), httpShape(other[1]).lines().limit(4).toList());
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void fifoAnswersIntoTheReplyFifoAsKamctlReadsIt() throws Exception {
        assertEquals(Peers.jsonShape(viaFifo(kamDir, "core.uptime")), Peers.jsonShape(viaFifo(kemiDir, "core.uptime")));
        String ours = viaFifo(kemiDir, "core.version");
        assertTrue(ours.startsWith("{\n\t\"jsonrpc\":\t\"2.0\",\n\t\"result\":\t\"kemi "), ours);
    }

    /** kamctl's way: mkfifo a reply FIFO, start reading it, write the request into kamailio_rpc.fifo. */
    private static String viaFifo(Path dir, String method) throws Exception {
        String name = "kemi_test_reply_" + ProcessHandle.current().pid() + "_" + dir.getFileName();
        Path reply = Path.of("/tmp").resolve(name); // fifo_reply_dir's default
        Files.deleteIfExists(reply);
        assertEquals("", Peers.run(List.of("mkfifo", reply.toString())));
        try {
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return Files.readString(reply);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Files.writeString(dir.resolve("kamailio_rpc.fifo"),
                    "{\"jsonrpc\": \"2.0\", \"method\": \"" + method + "\", \"reply_name\": \"" + name + "\", \"id\": 42}\n");
            return answer.get(20, TimeUnit.SECONDS);
        } finally {
            Files.deleteIfExists(reply);
        }
    }

    @Test
    void kamctlTalksToTheFifo() {
        Peers.require("kamctl");
        String[] out = new String[2];
        int i = 0;
        for (Path dir : List.of(kamDir, kemiDir)) {
            out[i++] = Peers.run(List.of("env", "RPCFIFOPATH=" + dir.resolve("kamailio_rpc.fifo"), "timeout", "20", "kamctl", "rpc", "tm.stats"));
        }
        assertTrue(out[0].contains("\"rpl_received\""), out[0]);
        assertEquals(out[0].replaceAll("\\d+", "N"), out[1].replaceAll("\\d+", "N"));
    }

    @Test
    void datagramSocketAnswersTheSender() {
        Peers.require("socat");
        String[] out = new String[2];
        int i = 0;
        for (Path dir : List.of(kamDir, kemiDir)) {
            Path client = dir.resolve("client.sock");
            out[i++] = Peers.run(List.of("sh", "-c", "echo '{\"jsonrpc\":\"2.0\",\"method\":\"core.sockets_list\",\"id\":3}' | socat -t 2 - "
                    + "UNIX-SENDTO:" + dir.resolve("kamailio_rpc.sock") + ",bind=" + client + "; rm -f " + client));
        }
        assertTrue(out[0].contains("\"socket\""), out[0]);
        assertEquals(Peers.jsonShape(out[0]), Peers.jsonShape(out[1]), out[1]);
    }

    @Test
    void filesHaveKamailiosModes() throws IOException {
        for (String f : List.of("kamailio_ctl", "kamailio_rpc.fifo", "kamailio_rpc.sock")) {
            assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(kamDir.resolve(f))),
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(kemiDir.resolve(f))), f);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kemiDir.resolve("kamailio_ctl"))));
    }
}
