package dev.kemi.tests.acc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kemi.runtime.rpc.ProxyRpc;
import dev.kemi.runtime.rpc.RpcRegistry;
import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same SIPp calls (one answered and hung up, one rejected 486) through Kamailio 5.6.3 and
 * through Kemi Proxy with the stock cfg's acc settings: the accounting lines are Kamailio's
 * (timestamp aside), and $stat / the counters read the same values afterwards (over the wire and
 * over RPC: cnt.get against kamcmd's).
 */
class AccCallTest {
    private static final String KEMI = "127.0.17.1", KAMAILIO = "127.0.17.2", UAC = "127.0.17.20",
            UAS_ANSWER = "127.0.17.30", UAS_BUSY = "127.0.17.31";
    private static final Path RESOURCES = AccCalls.RESOURCES;
    private static final AccCalls CALLS = new AccCalls(UAC, UAS_ANSWER, UAS_BUSY);
    private static final Path KAMCMD = Path.of("/usr/sbin/kamcmd");
    private static final List<String[]> COUNTERS = List.of(new String[] {"tmx", "UAS_transactions"},
            new String[] {"tmx", "2xx_transactions"}, new String[] {"tmx", "4xx_transactions"},
            new String[] {"tmx", "rpl_received"}, new String[] {"core", "rcv_requests"},
            new String[] {"core", "rcv_requests_invite"}, new String[] {"core", "rcv_requests_ack"},
            new String[] {"core", "rcv_requests_bye"}, new String[] {"core", "rcv_requests_options"},
            new String[] {"core", "rcv_replies"}, new String[] {"core", "rcv_replies_2xx"},
            new String[] {"core", "rcv_replies_4xx"}, new String[] {"core", "fwd_requests"},
            new String[] {"sl", "200_replies"}, new String[] {"sl", "sent_replies"}, new String[] {"script", "calls"});

    @TempDir
    static Path dir;
    private static Result kamailio;
    private static Result kemi;

    /** What one proxy produced for the run. */
    record Result(List<String> accLines, String statsHeader, Map<String, Integer> counters) {}

    @BeforeAll
    static void runBoth() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        if (!AccCalls.sippInstalled() || !Kamailio.installed() || !Files.isExecutable(KAMCMD)) {
            if (ci) fail("SIPp, Kamailio or kamcmd missing");
            org.junit.jupiter.api.Assumptions.abort("SIPp, Kamailio or kamcmd not installed");
        }
        kamailio = runKamailio();
        kemi = runKemi();
    }

    private static String cfg(String listen, String extra) throws IOException {
        return Files.readString(RESOURCES.resolve("acc.cfg")).replace("{listen}", listen).replace("{extra}", extra);
    }

    private static Result runKamailio() throws Exception {
        Path d = Files.createDirectories(dir.resolve("kamailio"));
        Path sock = d.resolve("ctl.sock");
        Path cfg = Files.writeString(d.resolve("kamailio.cfg"), cfg(KAMAILIO + ":5060",
                "loadmodule \"ctl.so\"\nmodparam(\"ctl\", \"binrpc\", \"unix:" + sock + "\")"));
        try (Kamailio k = Kamailio.startBound(cfg, d, List.of(new InetSocketAddress(KAMAILIO, 5060)))) {
            CALLS.both(d, KAMAILIO);
            String stats = options(KAMAILIO);
            Map<String, Integer> counters = settled(c -> Integer.parseInt(kamcmd(sock, "cnt.get", c[0], c[1])));
            List<String> acc = new ArrayList<>();
            for (String l : Files.readAllLines(d.resolve("kamailio.log"))) {
                int i = l.indexOf("ACC: ");
                if (i >= 0) acc.add(l.substring(i));
            }
            return new Result(acc, stats, counters);
        }
    }

    /** A counter of the reply sent last may still be counted after the reply arrived: read until the OPTIONS's 200 is in. */
    private static Map<String, Integer> settled(ThrowingCounter read) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        Map<String, Integer> last = null;
        while (true) {
            Map<String, Integer> counters = new LinkedHashMap<>();
            for (String[] c : COUNTERS) counters.put(c[0] + ":" + c[1], read.get(c));
            // the counters are read one by one: two reads alike, once the reply is counted, are no read in the middle of it
            boolean counted = counters.getOrDefault("sl:sent_replies", 1) > 0 && counters.equals(last);
            if (counted || System.nanoTime() > deadline) return counters;
            last = counters;
        }
    }

    @FunctionalInterface
    private interface ThrowingCounter {
        int get(String[] counter) throws Exception;
    }

    private static Result runKemi() throws Exception {
        Path d = Files.createDirectories(dir.resolve("kemi"));
        try (AccLines lines = new AccLines(); ProxyUnderTest p = ProxyUnderTest.start(cfg(KEMI + ":5060", ""))) {
            CALLS.both(d, KEMI);
            String stats = options(KEMI);
            RpcRegistry rpc = ProxyRpc.registry(p.proxy().functions(), Instant.now());
            Map<String, Integer> counters = settled(c -> ((Number) rpc.call("cnt.get", List.of(c[0], c[1]))).intValue());
            return new Result(lines.lines(), stats, counters);
        }
    }

    /** OPTIONS to the proxy; its X-Stats header ($stat values the script read). */
    private static String options(String proxy) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(UAC, 0))) {
            s.setSoTimeout(5000);
            String req = "OPTIONS sip:" + proxy + ":5060 SIP/2.0\r\nVia: SIP/2.0/UDP " + UAC + ":" + s.getLocalPort()
                    + ";branch=z9hG4bK-stats\r\nFrom: <sip:t@acc.test>;tag=s\r\nTo: <sip:" + proxy + ">\r\nCall-ID: stats@acc.test\r\n"
                    + "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
            byte[] b = req.getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(b, b.length, InetAddress.getByName(proxy), 5060));
            DatagramPacket in = new DatagramPacket(new byte[4096], 4096);
            try {
                s.receive(in);
            } catch (SocketTimeoutException e) {
                fail(proxy + " did not answer the OPTIONS");
            }
            String reply = new String(in.getData(), 0, in.getLength(), StandardCharsets.US_ASCII);
            Matcher m = Pattern.compile("(?m)^X-Stats: ([^\r\n]*)").matcher(reply);
            assertTrue(reply.startsWith("SIP/2.0 200 Stats") && m.find(), reply);
            return m.group(1);
        }
    }

    private static String kamcmd(Path sock, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(KAMCMD.toString(), "-s", "unix:" + sock));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
        return out;
    }

    private static List<String> withoutTimestamp(List<String> lines) {
        return lines.stream().map(l -> l.replaceFirst("timestamp=\\d+;", "timestamp=T;")).toList();
    }

    @Test
    void accLinesAreKamailios() {
        assertEquals(3, kamailio.accLines().size(), "Kamailio's lines: " + kamailio.accLines());
        assertEquals(withoutTimestamp(kamailio.accLines()), withoutTimestamp(kemi.accLines()));
    }

    @Test
    void accLineFields() {
        String invite = kemi.accLines().get(0);
        assertTrue(invite.matches("ACC: transaction answered: timestamp=\\d+;method=INVITE;from_tag=uactag1;to_tag=uastag1;"
                + "call_id=acc-answered-1@acc.test;code=200;reason=OK;src_user=alice;src_domain=acc.test;src_ip=" + UAC.replace(".", "\\.")
                + ";dst_ouser=bob;dst_user=bob;dst_domain=" + UAS_ANSWER.replace(".", "\\.")), invite);
        assertTrue(kemi.accLines().get(2).startsWith("ACC: call missed: "), kemi.accLines().toString());
    }

    @Test
    void statPseudoVariablesReadWhatKamailioReads() {
        // 2 INVITE, 1 BYE, 2 ACK (the 200's, the 486's), 2 2xx and 1 4xx received, 3 UAS transactions, 2 2xx, 1 4xx, 2 calls
        assertEquals("2 1 2 2 1 3 2 1 2", kamailio.statsHeader());
        assertEquals(kamailio.statsHeader(), kemi.statsHeader());
    }

    @Test
    void countersOverRpcAreKamailios() {
        assertEquals(kamailio.counters(), kemi.counters());
    }
}
