package dev.kemi.tests.websocket;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.kemi.tests.ProxyUnderTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * What a proxy running {@link WsCfg} does, step by step, as normalised lines (addresses,
 * ports, branches, tags and the server signature replaced by names), so Kamailio's and ours
 * compare line by line. The peers are real: the JDK's WebSocket client as the browser phone,
 * SIPp over UDP as the desk phone calling it, kamcmd for the RPCs, and a raw socket for the
 * bad input.
 */
final class WsScenario {
    static final Duration WAIT = Duration.ofSeconds(5);
    private static final Path SIPP = Path.of("/usr/bin/sipp");
    private static final Path KAMCMD = Path.of("/usr/sbin/kamcmd");
    private static final Path UAC = Path.of(System.getProperty("kemi.root", "..")).resolve("tests/src/test/resources/calls/uac_call.xml")
            .toAbsolutePath().normalize();

    private WsScenario() {}

    static boolean peersInstalled() {
        return Files.isExecutable(SIPP) && Files.isExecutable(KAMCMD);
    }

    /** @param tls null for WS on TCP 8080, the client context (trusting the test CA) for WSS on TLS 4443 */
    static List<String> run(String proxyIp, String clientIp, Path ctl, Path dir, SSLContext tls) throws Exception {
        List<String> out = new ArrayList<>();
        int wsPort = tls == null ? WsCfg.WS_PORT : WsCfg.WSS_PORT;
        InetSocketAddress ws = new InetSocketAddress(proxyIp, wsPort);
        String via = tls == null ? "SIP/2.0/WS " : "SIP/2.0/WSS "; // as JsSIP writes it
        List<String> norms = new ArrayList<>(List.of(proxyIp, "PROXY", clientIp, "CLIENT"));
        UnaryOperator<String> norm = s -> normalise(s, norms);

        // 0-3: handshakes refused, each with its reply, each connection closed after it
        out.add(norm.apply(refused(clientIp, ws, tls, RawWs.GOOD.replace("Version: 13", "Version: 8"))));
        out.add(norm.apply(refused(clientIp, ws, tls, RawWs.GOOD.replace("Sec-WebSocket-Protocol: sip\r\n", ""))));
        out.add(norm.apply(refused(clientIp, ws, tls, RawWs.GOOD.replace("Sec-WebSocket-Key", "Sec-WebSocket-Key: a\r\nSec-WebSocket-Key"))));
        out.add(norm.apply(refused(clientIp, new InetSocketAddress(proxyIp, 5060), null, RawWs.GOOD)));

        try (WsPhone phone = new WsPhone(clientIp, (tls == null ? "ws://" : "wss://") + proxyIp + ":" + wsPort + "/", tls)) {
            // 4: the sub-protocol agreed
            out.add("subprotocol " + phone.subprotocol());
            // 5, 6: REGISTER over WebSocket; the 200's Via and Contact
            phone.send(register(proxyIp).replace("SIP/2.0/WS ", via));
            String ok = phone.await("SIP/2.0 200", WAIT);
            assertNotNull(ok, "200 to REGISTER over WebSocket from " + proxyIp);
            String okVia = header(ok, "Via");
            Matcher port = Pattern.compile("rport=(\\d+)").matcher(okVia);
            if (port.find()) norms.addAll(0, List.of(clientIp + ":" + port.group(1), "CLIENT:WSPORT", clientIp + "~" + port.group(1), "CLIENT~WSPORT",
                    "rport=" + port.group(1), "rport=WSPORT"));
            out.add(norm.apply("Via: " + okVia));
            out.add(norm.apply("Contact: " + header(ok, "Contact")));
            // 7: ws.dump
            String dump = dumpLine(kamcmd(ctl, "ws.dump"));
            String conid = dump.replaceAll("^\\s*(\\d+):.*", "$1");
            out.add(norm.apply(dump));

            // 8-13: a UDP phone (SIPp) calls the registered WebSocket phone and hangs up
            int sippPort = ProxyUnderTest.freePort();
            norms.addAll(0, List.of(clientIp + ":" + sippPort, "CLIENT:SIPPPORT", clientIp + "~" + sippPort, "CLIENT~SIPPPORT"));
            Process sipp = sipp(dir, clientIp, sippPort, proxyIp);
            try {
                String invite = phone.await("INVITE ", WAIT);
                assertNotNull(invite, "INVITE over WebSocket from " + proxyIp + ": " + sippOut(dir));
                // Kamailio writes "SIP/2.0/WS  host" with two spaces (legal LWS): not compared
                out.add(norm.apply(invite.lines().findFirst().orElse("") + " | Via: " + header(invite, "Via").replaceAll("/(WSS?)  ", "/$1 ")
                        + " | Record-Route: " + String.join(", ", headers(invite, "Record-Route")) + " | Contact: " + header(invite, "Contact")));
                phone.send(reply(invite, "180 Ringing", ""));
                phone.send(reply(invite, "200 OK", "Contact: <sip:alice@df7jal23ls0d.invalid;transport=ws>\r\n"));
                String ack = phone.await("ACK ", WAIT);
                assertNotNull(ack, "ACK over WebSocket from " + proxyIp + ": " + sippOut(dir));
                out.add(norm.apply(ack.lines().findFirst().orElse("") + " | Route: " + String.join(", ", headers(ack, "Route"))));
                String bye = phone.await("BYE ", WAIT);
                assertNotNull(bye, "BYE over WebSocket from " + proxyIp + ": " + sippOut(dir));
                out.add(norm.apply(bye.lines().findFirst().orElse("")));
                phone.send(reply(bye, "200 OK", ""));
                if (!sipp.waitFor(20, TimeUnit.SECONDS)) sipp.destroyForcibly();
                out.add("sipp exit " + sipp.exitValue());
                String sippSaw = sippTrace(dir);
                Matcher c = Pattern.compile("(?m)^Contact: (.*)$").matcher(sippSaw.substring(Math.max(0, sippSaw.indexOf("SIP/2.0 200 OK"))));
                out.add(norm.apply("SIPp's 200 Contact: " + (c.find() ? c.group(1).trim() : "none")));
            } finally {
                if (sipp.isAlive()) sipp.destroyForcibly();
            }

            // 14: keepalive: a Ping with the server signature after keepalive_timeout
            String ping = phone.awaitPing(Duration.ofSeconds(8));
            out.add("ping " + (ping == null ? "none" : ping.startsWith("kamailio") || ping.startsWith("kemi") ? "SERVER" : ping));

            // 15-18: a bad frame and a remote Close each cost only their own connection
            try (RawWs big = new RawWs(clientIp, ws, tls)) {
                out.add(norm.apply(head(big.handshake(RawWs.GOOD))));
                big.frame(1, new byte[70_000]);
                out.add("oversized frame: " + big.readFrame(5000) + ", then " + (big.closedWithin(8000) ? "closed" : "open"));
            }
            out.add("phone after oversized frame: " + probe(phone, proxyIp, via, 1, conid));
            try (RawWs rc = new RawWs(clientIp, ws, tls)) {
                rc.handshake(RawWs.GOOD);
                rc.frame(8, new byte[] {0x03, (byte) 0xE8});
                out.add("remote close: " + rc.readFrame(5000));
            }
            out.add("phone after remote close: " + probe(phone, proxyIp, via, 3, conid));

            // 19: ws.close by RPC, the phone sees Close 1000
            out.add("ws.ping: " + kamcmd(ctl, "ws.ping", conid).trim() + " / ws.pong: " + kamcmd(ctl, "ws.pong", conid).trim()
                    + " / ws.ping 999: " + kamcmd(ctl, "ws.ping", "999").trim());
            if (!phone.closed.isDone()) kamcmd(ctl, "ws.close", conid);
            out.add("ws.close: " + phone.closed.get(5, TimeUnit.SECONDS));
        }
        // ws.disable: handshakes refused until ws.enable
        out.add("ws.disable: " + kamcmd(ctl, "ws.disable").trim());
        out.add(norm.apply(refused(clientIp, ws, tls, RawWs.GOOD)));
        out.add("ws.enable: " + kamcmd(ctl, "ws.enable").trim());
        // 20: a half-open connection (never answers the Ping) is dropped by the keepalive
        try (RawWs half = new RawWs(clientIp, ws, tls)) {
            half.handshake(RawWs.GOOD);
            String first = half.readFrame(8000);
            out.add("half-open: " + (first.startsWith("9 ") ? "Ping" : first) + ", then " + (half.closedWithin(8000) ? "closed" : "open"));
        }
        // the statistics of all this, once settled: the last close may still be counted by an I/O thread
        String stats = kamcmd(ctl, "stats.get_statistics", "websocket:");
        for (int i = 0; i < 20; i++) {
            Thread.sleep(100); // polling the proxy's counters over RPC
            String again = kamcmd(ctl, "stats.get_statistics", "websocket:");
            if (again.equals(stats)) break;
            stats = again;
        }
        for (String n : List.of("ws_failed_handshakes", "ws_successful_handshakes", "ws_sip_successful_handshakes",
                "ws_local_closed_connections", "ws_remote_closed_connections", "ws_max_concurrent_connections")) {
            Matcher m = Pattern.compile("websocket:" + n + " = (\\d+)").matcher(stats);
            out.add(n + " " + (m.find() ? m.group(1) : "missing"));
        }
        return out;
    }

    /** A refused handshake: its reply head, and whether the connection was closed after it. */
    private static String refused(String clientIp, InetSocketAddress server, SSLContext tls, String request) throws IOException {
        try (RawWs r = new RawWs(clientIp, server, tls)) {
            return head(r.handshake(request)) + (r.closedWithin(3000) ? " closed" : " open");
        }
    }

    /** An HTTP reply head on one line, without Server, Content-Type and the client's port in Sia. */
    private static String head(String reply) {
        return reply.replaceAll("(?m)^Server: .*\r\n", "").replaceAll("(?m)^Sia: SIP/2.0/(TCP|TLS) [^\r]*", "Sia: SIP/2.0/$1 CLIENT")
                .replaceAll("(?m)^Content-Type: .*\r\n", "").replace("\r\n", " | ").trim();
    }

    private static String register(String proxyIp) {
        return "REGISTER sip:" + proxyIp + " SIP/2.0\r\n"
                + "Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bKreg1;rport\r\n"
                + "Max-Forwards: 70\r\nTo: <sip:alice@" + proxyIp + ">\r\nFrom: <sip:alice@" + proxyIp + ">;tag=a1\r\n"
                + "Call-ID: ws-reg-1\r\nCSeq: 1 REGISTER\r\nContact: <sip:alice@df7jal23ls0d.invalid;transport=ws>;expires=600\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /**
     * The phone still works: an OPTIONS to no one gets the routing's 404 with $ws_conid in X-Conid;
     * the status line and whether that is ws.dump's id, or "no answer".
     */
    private static String probe(WsPhone phone, String proxyIp, String via, int n, String conid) throws Exception {
        if (phone.closed.isDone()) return "closed";
        try {
            phone.send("OPTIONS sip:nobody@" + proxyIp + " SIP/2.0\r\n"
                + "Via: " + via + "df7jal23ls0d.invalid;branch=z9hG4bKopt" + n + ";rport\r\n"
                + "Max-Forwards: 70\r\nTo: <sip:nobody@" + proxyIp + ">\r\nFrom: <sip:alice@" + proxyIp + ">;tag=a2\r\n"
                + "Call-ID: ws-opt-" + n + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
        } catch (java.util.concurrent.ExecutionException e) {
            return "closed";
        }
        String opt = phone.await("SIP/2.0 ", WAIT);
        if (opt == null) return "no answer";
        String x = header(opt, "X-Conid");
        return opt.lines().findFirst().orElse("") + " | $ws_conid " + (conid.equals(x) ? "is ws.dump's id" : x);
    }

    /** A reply to a request received: its Vias, Record-Routes, From, To (tagged), Call-ID, CSeq. */
    private static String reply(String req, String status, String extra) {
        StringBuilder b = new StringBuilder("SIP/2.0 ").append(status).append("\r\n");
        for (String v : headers(req, "Via")) b.append("Via: ").append(v).append("\r\n");
        for (String r : headers(req, "Record-Route")) b.append("Record-Route: ").append(r).append("\r\n");
        b.append("From: ").append(header(req, "From")).append("\r\n");
        String to = header(req, "To");
        b.append("To: ").append(to).append(to.contains("tag=") ? "" : ";tag=wsphone").append("\r\n");
        b.append("Call-ID: ").append(header(req, "Call-ID")).append("\r\nCSeq: ").append(header(req, "CSeq")).append("\r\n");
        return b.append(extra).append("Content-Length: 0\r\n\r\n").toString();
    }

    static String header(String msg, String name) {
        List<String> h = headers(msg, name);
        return h.isEmpty() ? null : h.get(0);
    }

    static List<String> headers(String msg, String name) {
        List<String> out = new ArrayList<>();
        for (String line : msg.split("\r\n")) {
            if (line.isEmpty()) break;
            int c = line.indexOf(':');
            if (c > 0 && line.substring(0, c).trim().equalsIgnoreCase(name)) out.add(line.substring(c + 1).trim());
        }
        return out;
    }

    private static String normalise(String s, List<String> pairs) {
        if (s == null) return null;
        for (int i = 0; i + 1 < pairs.size(); i += 2) s = s.replace(pairs.get(i), pairs.get(i + 1));
        return s.replaceAll("branch=z9hG4bK[^;>,\\s]*", "branch=X").replaceAll("tag=[^;>,\\s]*", "tag=X")
                .replaceAll("last used \\d+s ago", "last used Ns ago").replaceAll("^\\s*\\d+: (wss?):", "ID: $1:");
    }

    private static String dumpLine(String dump) {
        for (String l : dump.split("\n")) if (l.contains(" -> ")) return l.trim().replaceAll("^\"|\",?$", "");
        return "no connection in ws.dump: " + dump;
    }

    private static Process sipp(Path dir, String ip, int port, String proxyIp) throws IOException {
        String text = Files.readString(UAC).replaceAll("[ \\t]*\\{headers\\}\\n", "").replace("{ruri_params}", "");
        Path sf = dir.resolve("uac.xml");
        Files.writeString(sf, text);
        return new ProcessBuilder(SIPP.toString(), "-sf", sf.toString(), "-s", "alice", "-i", ip, "-p", Integer.toString(port),
                "-cp", Integer.toString(ProxyUnderTest.freePort()), "-m", "1", "-timeout", "20s", "-timeout_error", "-nostdin",
                "-trace_msg", "-message_file", dir.resolve("sipp.msg").toString(), proxyIp + ":5060")
                .redirectErrorStream(true).redirectOutput(dir.resolve("sipp.out").toFile()).start();
    }

    private static String sippOut(Path dir) {
        try {
            return Files.readString(dir.resolve("sipp.out")) + "\nmessages:\n" + sippTrace(dir);
        } catch (IOException e) {
            return "(no sipp output)";
        }
    }

    private static String sippTrace(Path dir) throws IOException {
        return Files.readString(dir.resolve("sipp.msg"), StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
    }

    static String kamcmd(Path ctl, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(KAMCMD.toString(), "-s", "unix:" + ctl));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        return o;
    }
}
