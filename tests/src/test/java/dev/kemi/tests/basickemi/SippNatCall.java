package dev.kemi.tests.basickemi;

import dev.kemi.tests.LocalSockets;
import dev.kemi.tests.calls.SippTrace;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The example's NAT call played by real user agents: SIPp as carol (caller) and dave (callee),
 * each sending from one loopback address and port while its Via, Contact and SDP name another
 * (scenarios in resources/basickemi). Both register with digest auth, carol answers the 407 and
 * calls dave, both send G.711 from SIPp's pcap (dave echoes what he gets, -rtp_echo), and dave
 * answers the proxy's SIP keepalive. The RTP is seen on the wire by tcpdump on lo (the namespace's
 * only interface): packets from each UA's real media address to the relay and from the relay,
 * from the port the other side's SDP names, to each UA's real media address; so is the native
 * flavour's bare UDP keepalive to dave. SIPp also plays the PBX, the IP-authorised caller
 * ({@link #startPbxCall}). Returns the lines of
 * what happened, addresses named as in {@link NatFloodScenario}; "wire " lines are every header
 * each SIPp received.
 */
final class SippNatCall {
    private static final Path SIPP = Path.of("/usr/bin/sipp"), TCPDUMP = Path.of("/usr/bin/tcpdump");
    /** Both UAs' media port, on their real address; their SDP names it on their NAT address (a NAT that keeps ports). */
    private static final int MEDIA_PORT = 6000;
    private static final Pattern CAPTURED = Pattern.compile("IP (\\S+)\\.(\\d+) > (\\S+)\\.(\\d+): UDP");
    /** A line of tcpdump -x: offset, then the bytes in groups of four hex digits. */
    private static final Pattern HEX_LINE = Pattern.compile("\\s+0x[0-9a-f]+:\\s+([0-9a-f ]+?)\\s*");
    private static final String MEDIA_PCAP = "media.pcap", KEEPALIVE_PCAP = "keepalive.pcap";

    /** A SIPp UA: where it sends from (SIP and media), and the address its messages advertise. */
    record Ua(String user, String ip, int port, String natIp, int natPort) {
        String real() {
            return ip + ":" + port;
        }

        String nat() {
            return natIp + ":" + natPort;
        }

        String media() {
            return ip + ":" + MEDIA_PORT;
        }
    }

    private final Path dir;
    private final String proxy;
    private final Ua carol, dave, pbx;
    private final int controlPorts;

    /**
     * Target {@code n}'s UAs in 127.0.26.0/24, beside {@link NatFloodScenario}'s; the PBX at
     * {@link NatFloodScenario#pbxIp}, the address table's row, advertising where it is (no NAT).
     */
    SippNatCall(int n, String proxyIp, Path dir) {
        int base = 40 + 10 * n;
        this.dir = dir;
        this.proxy = proxyIp;
        carol = new Ua("carol", "127.0.26." + (base + 7), 5072, "127.0.26." + (base + 9), 5082);
        dave = new Ua("dave", "127.0.26." + (base + 8), 5074, "127.0.26." + (base + 4), 5084);
        pbx = new Ua("pbx", NatFloodScenario.pbxIp(n), 5076, NatFloodScenario.pbxIp(n), 5076);
        controlPorts = 8900 + 10 * n;
    }

    static boolean installed() {
        return Files.isExecutable(SIPP) && Files.isExecutable(TCPDUMP) && Files.isReadable(Path.of("/usr/share/sip-tester/g711a.pcap"));
    }

    /** Names for this class's addresses, added to the scenario's. */
    void name(NatFloodScenario.Names names) {
        for (Ua ua : List.of(carol, dave)) {
            String n = ua.user().toUpperCase(java.util.Locale.ROOT);
            names.put(ua.real(), n);
            names.put(ua.real().replace(':', '~'), ua.user() + "-ip~port");
            names.put(ua.media(), n + "_RTP");
            names.put(ua.nat(), n + "_NAT");
            names.put("rport=" + ua.port(), "rport=" + n + "_PORT");
        }
        for (Ua ua : List.of(carol, dave)) {
            String n = ua.user().toUpperCase(java.util.Locale.ROOT);
            names.put(ua.ip(), n + "_IP");
            names.put(ua.natIp(), n + "_NAT_IP");
        }
        names.put(pbx.real(), "PBX");
        names.put(pbx.media(), "PBX_RTP");
        names.put("rport=" + pbx.port(), "rport=PBX_PORT");
        names.put(pbx.ip(), "PBX_IP");
    }

    /**
     * The whole exchange; {@code kemi}: the flavour pings with OPTIONS, which dave answers (the
     * native one with a bare UDP keepalive, which SIPp can neither answer nor record: tcpdump
     * looks for it).
     */
    List<String> run(boolean kemi, NatFloodScenario.Names names) throws Exception {
        List<String> out = new ArrayList<>();
        Process capture = startCapture(MEDIA_PCAP, "udp and (host " + carol.ip() + " or host " + dave.ip() + ") and port " + MEDIA_PORT);
        // the first datagram too short for SIP (UDP length under 32: under 24 bytes of payload) to dave's real address
        Process keepalive = kemi ? null : startCapture(KEEPALIVE_PCAP, "udp and dst host " + dave.ip() + " and dst port " + dave.port() + " and udp[4:2] < 32", "-c", "1");
        Process callee = null;
        try {
            long registered = System.nanoTime();
            register(dave, out, names);
            // -m: the call, and in the KEMI flavours the keepalive (each new Call-ID is a call)
            callee = sipp(dave, "nat_callee.xml", "dave-callee", null, List.of("-mi", dave.ip(), "-mp", Integer.toString(MEDIA_PORT), "-rtp_echo",
                    "-m", kemi ? "2" : "1", "-timeout", "90s", "-timeout_error"));
            awaitBound(callee, dave);
            register(carol, out, names);
            Process caller = sipp(carol, "nat_caller.xml", "carol-caller", proxy + ":5060", List.of("-mi", carol.ip(), "-mp", Integer.toString(MEDIA_PORT),
                    "-key", "callee", dave.user(), "-m", "1", "-timeout", "30s", "-timeout_error"));
            int callerExit = await(caller, Duration.ofSeconds(40));
            SippTrace callerTrace = SippTrace.read(dir.resolve("carol-caller.msg"));
            SippTrace.Message ok = last(callerTrace, m -> m.firstLine().startsWith("SIP/2.0 200") && m.text().contains("INVITE"));
            out.add("sipp carol calls dave: exit " + callerExit + ", received " + firstLines(callerTrace, names));
            out.add("  200 Contact: " + (ok == null ? "none" : names.apply(header(ok.text(), "Contact"))));
            out.add("  200 Record-Route: " + (ok == null ? "none" : names.apply(headers(ok.text(), "Record-Route").toString())));
            out.add("  200 SDP: " + (ok == null ? "none" : names.sdp(body(ok.text()))));
            wire(out, "sipp carol <-", received(callerTrace), names);

            int calleeExit = await(callee, Duration.ofSeconds(100));
            SippTrace calleeTrace = SippTrace.read(dir.resolve("dave-callee.msg"));
            SippTrace.Message invite = last(calleeTrace, m -> m.firstLine().startsWith("INVITE "));
            out.add("sipp dave: exit " + calleeExit + ", received " + firstLines(calleeTrace, names));
            out.add("  INVITE Contact: " + (invite == null ? "none" : names.apply(header(invite.text(), "Contact"))));
            out.add("  INVITE Record-Route: " + (invite == null ? "none" : names.apply(headers(invite.text(), "Record-Route").toString())));
            out.add("  INVITE SDP: " + (invite == null ? "none" : names.sdp(body(invite.text()))));
            if (kemi) {
                SippTrace.Message ping = last(calleeTrace, m -> m.firstLine().startsWith("OPTIONS "));
                boolean answered = calleeTrace.messages().stream().anyMatch(m -> !m.received() && m.firstLine().startsWith("SIP/2.0 200")
                        && m.text().contains(" OPTIONS"));
                out.add("sipp dave keepalive: " + (ping == null ? "none" : names.apply(ping.firstLine()) + " From: "
                        + header(ping.text(), "From").replaceAll(";tag=.*", "")) + ", answered 200: " + answered);
                if (ping != null) wire(out, "sipp dave keepalive <-", List.of(ping), names);
            } else {
                out.add("sipp dave keepalive: " + udpKeepalive(keepalive, Duration.ofSeconds(60).minusNanos(System.nanoTime() - registered), names));
            }
            wire(out, "sipp dave <-", received(calleeTrace), names);

            stop(capture);
            out.add(media(ok, invite));
        } finally {
            stop(capture);
            if (keepalive != null) stop(keepalive);
            if (callee != null) stop(callee);
        }
        return out;
    }

    /**
     * The keepalive tcpdump caught (it ends at its first packet): its payload bytes in hex, where
     * it came from and went to, the IP TOS it was sent with (the core's {@code tos}); "none" if it
     * caught nothing within {@code limit}.
     */
    private String udpKeepalive(Process keepalive, Duration limit, NatFloodScenario.Names names) throws Exception {
        if (!keepalive.waitFor(Math.max(0, limit.toMillis()), TimeUnit.MILLISECONDS)) return "none within 60 s of the REGISTER";
        Process r = new ProcessBuilder(TCPDUMP.toString(), "-r", dir.resolve(KEEPALIVE_PCAP).toString(), "-n", "-q", "-x")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text = new String(r.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        r.waitFor(10, TimeUnit.SECONDS);
        Matcher m = CAPTURED.matcher(text);
        if (!m.find()) return "unreadable capture: " + text;
        StringBuilder hex = new StringBuilder();
        for (String line : text.split("\n")) {
            Matcher h = HEX_LINE.matcher(line);
            if (h.matches()) hex.append(h.group(1).replace(" ", ""));
        }
        // -x: the IP packet; the UDP datagram after the IP header, its payload after the UDP header's 8 bytes
        byte[] ip = java.util.HexFormat.of().parseHex(hex);
        int udp = (ip[0] & 0xf) * 4, length = ((ip[udp + 4] & 0xff) << 8 | (ip[udp + 5] & 0xff)) - 8;
        StringBuilder payload = new StringBuilder();
        for (int i = 0; i < length; i++) payload.append(i == 0 ? "" : " ").append(String.format("%02x", ip[udp + 8 + i]));
        return length + " bytes " + payload + " from " + names.apply(m.group(1) + ":" + m.group(2)) + " to " + names.apply(m.group(3) + ":" + m.group(4))
                + ", IP TOS " + String.format("0x%02x", ip[1] & 0xff);
    }

    private void register(Ua ua, List<String> out, NatFloodScenario.Names names) throws Exception {
        String name = ua.user() + "-register";
        int exit = await(sipp(ua, "nat_register.xml", name, proxy + ":5060", List.of("-m", "1", "-timeout", "20s", "-timeout_error")), Duration.ofSeconds(30));
        SippTrace t = SippTrace.read(dir.resolve(name + ".msg"));
        SippTrace.Message ok = last(t, m -> m.firstLine().startsWith("SIP/2.0 200"));
        out.add("sipp " + ua.user() + " REGISTER: exit " + exit + ", received " + firstLines(t, names) + " | Contact: "
                + (ok == null ? "none" : names.apply(header(ok.text(), "Contact"))));
        wire(out, "sipp " + ua.user() + " <-", received(t), names);
    }

    /**
     * The PBX calls {@code callee} through the proxy (pbx_caller.xml: INVITE with SDP, no
     * credentials, ACK, BYE); SIPp started, the callee's side is the caller's to play, then
     * {@link #pbxCallEnded}.
     */
    Process startPbxCall(String callee) throws IOException {
        return sipp(pbx, "pbx_caller.xml", "pbx-caller", proxy + ":5060", List.of("-mi", pbx.ip(), "-mp", Integer.toString(MEDIA_PORT),
                "-key", "callee", callee, "-m", "1", "-timeout", "30s", "-timeout_error"));
    }

    /**
     * What the PBX's SIPp got, once it ended: its exit code and the first lines it received, the
     * final reply to its INVITE with the SDP (the relay's, after rtpengine), the final reply to its
     * BYE; "wire" lines every header of what it received.
     */
    List<String> pbxCallEnded(Process caller, NatFloodScenario.Names names) throws Exception {
        int exit = await(caller, Duration.ofSeconds(40));
        SippTrace t = SippTrace.read(dir.resolve("pbx-caller.msg"));
        SippTrace.Message ok = last(t, m -> m.isReply() && !m.firstLine().startsWith("SIP/2.0 1") && header(m.text(), "CSeq").endsWith(" INVITE"));
        SippTrace.Message byeOk = last(t, m -> m.isReply() && header(m.text(), "CSeq").endsWith(" BYE"));
        List<String> out = new ArrayList<>();
        out.add("sipp pbx calls bob: exit " + exit + ", received " + firstLines(t, names));
        out.add("pbx receives to its INVITE: " + (ok == null ? "no final reply" : ok.firstLine() + " | SDP: " + names.sdp(body(ok.text()))));
        out.add("pbx receives to its BYE: " + (byeOk == null ? "no reply" : byeOk.firstLine()));
        wire(out, "sipp pbx <-", received(t), names);
        return out;
    }

    /**
     * RTP as tcpdump saw it: each UA sent to the relay, and got packets from the relay port that
     * the SDP it received names.
     */
    private String media(SippTrace.Message okToCarol, SippTrace.Message inviteToDave) throws Exception {
        Map<String, Integer> flows = new LinkedHashMap<>();
        Process r = new ProcessBuilder(TCPDUMP.toString(), "-r", dir.resolve(MEDIA_PCAP).toString(), "-n", "-q")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        for (String line : new String(r.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1).split("\n")) {
            Matcher m = CAPTURED.matcher(line);
            if (m.find()) flows.merge(m.group(1) + ":" + m.group(2) + ">" + m.group(3) + ":" + m.group(4), 1, Integer::sum);
        }
        r.waitFor(10, TimeUnit.SECONDS);
        String relayToCarol = okToCarol == null ? "none" : mediaAddress(body(okToCarol.text()));
        String relayToDave = inviteToDave == null ? "none" : mediaAddress(body(inviteToDave.text()));
        return "sipp RTP carol->relay: " + (count(flows, carol.media(), relayToCarol, true) > 10)
                + ", dave->relay: " + (count(flows, dave.media(), relayToDave, true) > 10)
                + ", relay->carol from the port in the 200's SDP: " + (count(flows, carol.media(), relayToCarol, false) > 10)
                + ", relay->dave from the port in the INVITE's SDP: " + (count(flows, dave.media(), relayToDave, false) > 10)
                + ", nothing else to or from their media ports: " + (flows.keySet().stream().allMatch(k -> k.equals(carol.media() + ">" + relayToCarol)
                        || k.equals(relayToCarol + ">" + carol.media()) || k.equals(dave.media() + ">" + relayToDave) || k.equals(relayToDave + ">" + dave.media()))
                        ? "true" : flows.toString());
    }

    private static int count(Map<String, Integer> flows, String ua, String relay, boolean fromUa) {
        return flows.getOrDefault(fromUa ? ua + ">" + relay : relay + ">" + ua, 0);
    }

    private static String mediaAddress(String sdp) {
        Matcher c = Pattern.compile("(?m)^c=IN IP4 (\\S+)").matcher(sdp), m = Pattern.compile("(?m)^m=audio (\\d+)").matcher(sdp);
        return c.find() && m.find() ? c.group(1) + ":" + m.group(1) : "none";
    }

    /** tcpdump on lo writing what the filter passes to {@code file} in the run's directory; returned once it captures. */
    private Process startCapture(String file, String filter, String... more) throws Exception {
        Path err = dir.resolve(file + ".err");
        List<String> cmd = new ArrayList<>(List.of(TCPDUMP.toString(), "-i", "lo", "-n", "-U", "-w", dir.resolve(file).toString()));
        cmd.addAll(List.of(more));
        cmd.add(filter);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(err.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Files.readString(err).contains("listening on")) {
            if (!p.isAlive() || System.nanoTime() > deadline) throw new IllegalStateException("tcpdump did not start: " + Files.readString(err));
            Thread.sleep(20); // polling tcpdump's start message: nothing to await
        }
        return p;
    }

    /** SIPp on the UA's address with its NAT keys (and, but for the PBX, its credentials); {@code remote} null for a UAS. */
    private Process sipp(Ua ua, String scenario, String name, String remote, List<String> more) throws IOException {
        Path scenarios = Path.of(System.getProperty("kemi.root", "..")).resolve("tests/src/test/resources/basickemi").toAbsolutePath().normalize();
        List<String> cmd = new ArrayList<>(List.of(SIPP.toString()));
        if (remote != null) cmd.add(remote);
        cmd.addAll(List.of("-sf", scenarios.resolve(scenario).toString(), "-i", ua.ip(), "-p", Integer.toString(ua.port()), "-nostdin",
                "-cp", Integer.toString(controlPorts + (ua == carol ? 0 : ua == dave ? 5 : 3) + (scenario.equals("nat_register.xml") ? 0 : 1)),
                "-trace_msg", "-message_file", dir.resolve(name + ".msg").toString(),
                "-key", "ua_user", ua.user(), "-key", "nat_ip", ua.natIp(), "-key", "nat_port", Integer.toString(ua.natPort())));
        if (ua != pbx) cmd.addAll(List.of("-au", ua.user(), "-ap", "secret-" + ua.user()));
        cmd.addAll(more);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile()).start();
    }

    private void awaitBound(Process p, Ua ua) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!LocalSockets.udpBound(new InetSocketAddress(ua.ip(), ua.port()))) {
            if (!p.isAlive() || System.nanoTime() > deadline) throw new IllegalStateException(ua.user() + "'s SIPp did not bind: " + outputs());
            Thread.sleep(20); // polling SIPp's bind: nothing to await
        }
    }

    /** What each SIPp printed (a failure's detail). */
    String outputs() throws IOException {
        StringBuilder b = new StringBuilder();
        try (var s = Files.list(dir)) {
            for (Path f : s.filter(f -> f.getFileName().toString().endsWith(".out")).toList()) b.append(f.getFileName()).append(": ").append(Files.readString(f));
        }
        return b.toString();
    }

    private static int await(Process p, Duration limit) throws InterruptedException {
        if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            return -1;
        }
        return p.exitValue();
    }

    private static void stop(Process p) throws InterruptedException {
        if (!p.isAlive()) return;
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
    }

    private static SippTrace.Message last(SippTrace t, java.util.function.Predicate<SippTrace.Message> match) {
        SippTrace.Message found = null;
        for (SippTrace.Message m : t.received()) if (match.test(m)) found = m;
        return found;
    }

    /**
     * What a UA received besides keepalives, which come whenever natping's timer fires (an
     * OPTIONS, or in the native flavour 4 zero bytes): those are looked at on their own.
     */
    private static List<SippTrace.Message> received(SippTrace t) {
        return t.received().stream().filter(m -> !isKeepalive(m)).toList();
    }

    private static boolean isKeepalive(SippTrace.Message m) {
        return m.firstLine().startsWith("OPTIONS ") || !(m.firstLine().startsWith("SIP/2.0 ") || m.firstLine().matches("[A-Z]+ \\S+ SIP/2\\.0"));
    }

    /** The first lines SIPp received, each once, in order (retransmissions and the 100's reason left out). */
    private static String firstLines(SippTrace t, NatFloodScenario.Names names) {
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        for (SippTrace.Message m : received(t)) seen.add(names.apply(m.firstLine()).replaceAll("^(SIP/2\\.0 100) .*", "$1"));
        return String.join(", ", seen);
    }

    private static void wire(List<String> out, String who, List<SippTrace.Message> messages, NatFloodScenario.Names names) {
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        for (SippTrace.Message m : messages) {
            StringBuilder b = new StringBuilder();
            for (String line : m.text().split("\n")) {
                if (line.isBlank()) break;
                b.append('\n').append(NatFloodScenario.WIRE).append(who).append(' ').append(names.masked(line.strip()));
            }
            seen.add(b.toString());
        }
        for (String s : seen) out.addAll(List.of(s.substring(1).split("\n")));
    }

    private static String header(String msg, String name) {
        List<String> all = headers(msg, name);
        return all.isEmpty() ? "" : all.getFirst();
    }

    private static List<String> headers(String msg, String name) {
        return NatUa.headers(msg.replace("\r\n", "\n").replace("\n", "\r\n"), name);
    }

    private static String body(String msg) {
        return NatUa.body(msg.replace("\r\n", "\n").replace("\n", "\r\n"));
    }
}
