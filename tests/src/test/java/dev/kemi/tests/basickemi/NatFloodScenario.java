package dev.kemi.tests.basickemi;

import dev.kemi.tests.basickemi.NatUa.Inbox.Datagram;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The example's WITH_NAT, WITH_IPAUTH and WITH_ANTIFLOOD paths against one proxy (ours or
 * Kamailio), played by user agents whose Via, Contact and SDP name an address they do not send
 * from, and a PBX in the address table. Returns what the wire showed, addresses replaced by names
 * (ALICE is where alice sends from, ALICE_NAT what she advertises), so two proxies' transcripts
 * can be compared line by line. Lines starting with {@value #WIRE} are the full detail (every
 * reply each UA got with its headers, every header of what the callee got, all columns of the
 * rows): compared between proxies only, as they name no behaviour of their own.
 */
final class NatFloodScenario {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    static final String WIRE = "wire ";

    /** What the scenario needs of a proxy besides its SIP socket. */
    interface Target {
        /** An RPC command as an operator gives it (kamcmd, or our RPC registry); its output as text. */
        String rpc(String... args);

        /** Stops the proxy (usrloc db_mode 2 writes its location rows back then). */
        void stop();
    }

    private NatFloodScenario() {}

    /** Addresses of target number {@code n} (0-4) in 127.0.26.0/24. */
    static String proxyIp(int n) {
        return "127.0.26." + (10 + n);
    }

    /** {@code kemi}: a KEMI flavour, which pings NATed contacts with OPTIONS. */
    static List<String> run(int n, Target target, String dbUrl, boolean kemi) throws Exception {
        String p = proxyIp(n);
        InetSocketAddress proxy = new InetSocketAddress(p, 5060);
        int base = 40 + 10 * n;
        List<String> out = new ArrayList<>();
        // SIPp's traces and tcpdump's captures; deleted however the run ends
        Path sippDir = Files.createTempDirectory("kemi-nat-sipp");
        try (NatUa alice = new NatUa("127.0.26." + base, "127.0.26." + (base + 5) + ":5062", "alice", proxy);
             NatUa bob = new NatUa("127.0.26." + (base + 1), "127.0.26." + (base + 6) + ":5064", "bob", proxy);
             NatUa flooder = new NatUa("127.0.26." + (base + 2), "127.0.26." + (base + 2) + ":5066", "flood", proxy)) {
            Names names = new Names(p, alice, bob, flooder);
            // SIPp's NATed caller and callee alongside, from their own addresses
            SippNatCall sipp = new SippNatCall(n, p, sippDir);
            sipp.name(names);
            // on a thread of its own: it waits for minutes, and the common pool (one thread on two cores) runs the UAs' requests
            CompletableFuture<List<String>> sippCall = CompletableFuture.supplyAsync(() -> {
                try {
                    return sipp.run(kemi, names);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, r -> Thread.ofPlatform().daemon().name("sipp-" + n).start(r));

            // NATed registrations: fix_nated_register() stores where the REGISTER came from
            for (NatUa ua : List.of(bob, alice)) {
                String r = ua.withAuth("REGISTER", "sip:" + p, "sip:" + ua.user + "@" + p, "Contact: <sip:" + ua.user + "@" + ua.advertised + ">\r\nExpires: 600\r\n", "");
                if (r == null) throw new AssertionError("REGISTER of " + ua.user + " unanswered");
                out.add("REGISTER " + ua.user + ": " + status(r) + " | Contact: " + names.apply(NatUa.header(r, "Contact")));
                replies(out, ua, names);
            }
            long registered = System.nanoTime();

            // the NATed caller reaches the NATed callee at its received address; rtpproxy in the SDP
            CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> alice.withAuth("INVITE", "sip:bob@" + p, "sip:bob@" + p,
                    "Contact: <sip:alice@" + alice.advertised + ">\r\n", alice.sdp(4000)));
            Datagram invite = bob.sip.awaitDatagram(d -> d.text().startsWith("INVITE "), WAIT);
            if (invite == null) throw new AssertionError("bob got no INVITE: " + call.get());
            out.add("bob receives from " + names.apply(hostPort(invite.from())) + ": " + requestLine(invite.text(), names));
            out.add("  Contact: " + names.apply(NatUa.header(invite.text(), "Contact")));
            out.add("  Record-Route: " + names.apply(NatUa.headers(invite.text(), "Record-Route").toString()));
            out.add("  Via count: " + NatUa.headers(invite.text(), "Via").size());
            out.add("  SDP: " + names.sdp(NatUa.body(invite.text())));
            wire(out, "bob <- " + names.apply(hostPort(invite.from())), invite.text(), names);
            bob.answer(invite.text(), 4002);
            String ok = call.get();
            if (ok == null) throw new AssertionError("alice got no final reply to her INVITE");
            out.add("alice receives: " + status(ok));
            out.add("  Contact: " + names.apply(NatUa.header(ok, "Contact")));
            out.add("  Record-Route: " + names.apply(NatUa.headers(ok, "Record-Route").toString()));
            out.add("  SDP: " + names.sdp(NatUa.body(ok)));
            replies(out, alice, names);

            alice.inDialog("ACK", ok, 2);
            String ack = bob.sip.await(m -> m.startsWith("ACK "), WAIT);
            out.add("bob receives: " + (ack == null ? "no ACK" : requestLine(ack, names) + " | Route: " + NatUa.headers(ack, "Route")));
            if (ack != null) wire(out, "bob <-", ack, names);

            // media both ways: each sends to the relay port its SDP names, from its real socket
            out.add(media(alice, NatUa.body(ok), bob, NatUa.body(invite.text())));

            CompletableFuture<String> hangup = CompletableFuture.supplyAsync(() -> alice.inDialog("BYE", ok, 3));
            String bye = bob.sip.await(m -> m.startsWith("BYE "), WAIT);
            out.add("bob receives: " + (bye == null ? "no BYE" : requestLine(bye, names)));
            if (bye != null) {
                wire(out, "bob <-", bye, names);
                bob.ok(bye);
            }
            out.add("alice receives: " + status(hangup.get()));
            replies(out, alice, names);

            // the PBX in the address table (SIPp from its address) calls bob without credentials (allow_source_address)
            Process pbxCall = sipp.startPbxCall("bob");
            Datagram pbxInvite = bob.sip.awaitDatagram(d -> d.text().startsWith("INVITE "), WAIT);
            if (pbxInvite == null) {
                sipp.pbxCallEnded(pbxCall, names);
                throw new AssertionError("bob got no INVITE from the PBX: " + sipp.outputs());
            }
            out.add("bob receives: " + requestLine(pbxInvite.text(), names) + " | credentials: "
                    + !(NatUa.headers(pbxInvite.text(), "Authorization").isEmpty() && NatUa.headers(pbxInvite.text(), "Proxy-Authorization").isEmpty()));
            out.add("  SDP: " + names.sdp(NatUa.body(pbxInvite.text())));
            wire(out, "bob <-", pbxInvite.text(), names);
            bob.answer(pbxInvite.text(), 4012);
            String pbxAck = bob.sip.await(m -> m.startsWith("ACK "), WAIT);
            out.add("bob receives: " + (pbxAck == null ? "no ACK" : requestLine(pbxAck, names) + " | Route: " + NatUa.headers(pbxAck, "Route")));
            if (pbxAck != null) wire(out, "bob <-", pbxAck, names);
            String pbxBye = bob.sip.await(m -> m.startsWith("BYE "), WAIT);
            out.add("bob receives: " + (pbxBye == null ? "no BYE" : requestLine(pbxBye, names)));
            if (pbxBye != null) {
                wire(out, "bob <-", pbxBye, names);
                bob.ok(pbxBye);
            }
            out.addAll(sipp.pbxCallEnded(pbxCall, names));

            // a flood from one address: pike turns it red, the script bans it in htable ipban
            String ip = flooder.sip.hostPort().split(":")[0];
            String first = flooder.options();
            wire(out, "flood <-", first, names);
            int answered = sippFlood(ip, proxy, 200);
            out.add("flood: first " + status(first) + ", then " + (answered == 0 ? "none" : answered < 200 ? "some but not all" : "all")
                    + " of SIPp's burst of 200 answered, then " + (flooder.options() == null ? "no answer" : "an answer"));
            out.add("ipban item expires in 300 s: " + expiresIn(target.rpc("htable.get", "ipban", ip), 300));
            // the ban keeps the flooder from pike; pike forgets it after remove_latency
            out.add("pike forgets the flooder: " + poll(() -> !target.rpc("pike.top", "ALL").contains(ip), Duration.ofSeconds(20)));
            out.add("htable.setex ipban FLOODER_IP 1: " + target.rpc("htable.setex", "ipban", ip, "1").strip());
            String again = null;
            // 30 s: the JS flavour tests the ban with sht_match_name, which (in Kamailio too) still
            // sees an expired item until the htable timer (timer_interval 20 s) removes it
            for (long d = System.nanoTime() + Duration.ofSeconds(30).toNanos(); again == null && System.nanoTime() < d; ) again = flooder.options();
            out.add("after the expiry: " + (again == null ? "no answer" : status(again)));

            // NAT keepalives to the received address of each NATed contact (natping_interval 30)
            for (NatUa ua : List.of(alice, bob)) {
                Duration left = Duration.ofSeconds(50).minusNanos(System.nanoTime() - registered);
                Datagram ka = ua.sip.awaitDatagram(d -> d.text().length() == 4 || d.text().startsWith("OPTIONS "), left.isNegative() ? Duration.ZERO : left);
                String what = ka == null ? "none" : ka.text().length() == 4 ? ka.text().chars().filter(c -> c == 0).count() + " zero bytes"
                        : requestLine(ka.text(), names) + " From: " + NatUa.header(ka.text(), "From").replaceAll(";tag=.*", "");
                out.add("keepalive at " + names.apply(ua.real()) + ": " + what + (ka == null ? "" : " from " + names.apply(hostPort(ka.from()))));
                if (ka != null && ka.text().startsWith("OPTIONS ")) {
                    wire(out, names.apply(ua.real()) + " <-", ka.text(), names);
                    ua.ok(ka.text());
                }
            }

            out.addAll(sippCall.get(150, java.util.concurrent.TimeUnit.SECONDS));

            // what the proxy wrote: the NATed contacts with their received address, the accounting
            target.stop();
            for (String row : BasicKemiExampleTest.rows(dbUrl, "SELECT username, contact, received, cflags FROM location ORDER BY username")) {
                out.add("location: " + names.apply(row));
            }
            // SIPp's call runs alongside the others: its rows after theirs
            for (String row : BasicKemiExampleTest.rows(dbUrl, "SELECT method, sip_code, src_user, dst_user, src_ip FROM acc ORDER BY src_user = 'carol', id")) {
                out.add("acc: " + names.apply(row));
            }
            for (String row : BasicKemiExampleTest.rows(dbUrl, "SELECT username, domain, contact, received, path, q, cseq, flags, cflags, "
                    + "user_agent, socket, methods, instance, reg_id, server_id, connection_id, keepalive FROM location ORDER BY username")) {
                out.add(WIRE + "location row: " + names.masked(row));
            }
            for (String row : BasicKemiExampleTest.rows(dbUrl, "SELECT method, from_tag, to_tag, sip_code, sip_reason, src_user, src_domain, "
                    + "src_ip, dst_ouser, dst_user, dst_domain FROM acc ORDER BY src_user = 'carol', id")) {
                out.add(WIRE + "acc row: " + names.masked(row));
            }
            for (String row : BasicKemiExampleTest.rows(dbUrl, "SELECT method, sip_code, sip_reason FROM missed_calls ORDER BY id")) {
                out.add(WIRE + "missed_calls row: " + names.masked(row));
            }
        } finally {
            target.stop();
            BasicKemiExampleTest.deleteTree(sippDir);
        }
        return out;
    }

    /**
     * SIPp sends {@code calls} OPTIONS from {@code ip} as fast as it can (one call each, at most
     * 2000 a second); the number of replies it got, from its message trace.
     */
    private static int sippFlood(String ip, InetSocketAddress proxy, int calls) throws Exception {
        Path dir = Files.createTempDirectory("kemi-flood");
        try {
            Path scenario = Path.of(System.getProperty("kemi.root", "..")).resolve("tests/src/test/resources/basickemi/options_flood.xml")
                    .toAbsolutePath().normalize();
            Path trace = dir.resolve("flood.msg");
            Process p = new ProcessBuilder("/usr/bin/sipp", proxy.getAddress().getHostAddress() + ":" + proxy.getPort(), "-sf", scenario.toString(),
                    "-i", ip, "-p", "5067", "-m", Integer.toString(calls), "-r", "2000", "-l", Integer.toString(calls), "-nostdin",
                    "-timeout", "20s", "-trace_msg", "-message_file", trace.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("sipp.out").toFile()).start();
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("SIPp flood did not end");
            }
            // 1: some calls failed, which a banned source's are (a late reply is unexpected to SIPp)
            if (p.exitValue() != 0 && p.exitValue() != 1) throw new AssertionError("SIPp flood exited " + p.exitValue() + ": " + Files.readString(dir.resolve("sipp.out")));
            return (int) Files.readAllLines(trace, StandardCharsets.ISO_8859_1).stream().filter(l -> l.startsWith("SIP/2.0 ")).count();
        } finally {
            BasicKemiExampleTest.deleteTree(dir);
        }
    }

    /** The PBX's address in target {@code n}'s block: the address table's one row. */
    static String pbxIp(int n) {
        return "127.0.26." + (40 + 10 * n + 3);
    }

    /** Every reply the UA got since the last call, each with its headers (addresses named, per-call values masked). */
    private static void replies(List<String> out, NatUa ua, Names names) {
        for (String r : ua.replies) wire(out, ua.user + " <-", r, names);
        ua.replies.clear();
    }

    /** A message's first line and headers, one line each, prefixed with {@link #WIRE}. */
    private static void wire(List<String> out, String who, String msg, Names names) {
        if (msg == null) {
            out.add(WIRE + who + " nothing");
            return;
        }
        for (String line : msg.split("\r\n")) {
            if (line.isEmpty()) break;
            out.add(WIRE + who + " " + names.masked(line));
        }
    }

    private static String media(NatUa alice, String aliceSdp, NatUa bob, String bobSdp) {
        InetSocketAddress toRelayA = mediaAddress(aliceSdp), toRelayB = mediaAddress(bobSdp);
        int gotA = 0, gotB = 0;
        boolean fromRelayA = true, fromRelayB = true;
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int seq = 0; (gotA < 5 || gotB < 5) && System.nanoTime() < deadline; seq++) {
            alice.rtp.send(toRelayA, rtp(seq, "rtp-from-alice"));
            bob.rtp.send(toRelayB, rtp(seq, "rtp-from-bob"));
            Datagram a, b;
            while ((a = alice.rtp.awaitDatagram(d -> d.text().contains("rtp-from-bob"), Duration.ofMillis(10))) != null) {
                gotA++;
                fromRelayA &= a.from().equals(toRelayA);
            }
            while ((b = bob.rtp.awaitDatagram(d -> d.text().contains("rtp-from-alice"), Duration.ofMillis(10))) != null) {
                gotB++;
                fromRelayB &= b.from().equals(toRelayB);
            }
        }
        return "RTP bob->alice relayed: " + (gotA >= 5) + " (from the relay port in alice's SDP: " + fromRelayA + "), alice->bob relayed: "
                + (gotB >= 5) + " (from the relay port in bob's SDP: " + fromRelayB + ")";
    }

    private static InetSocketAddress mediaAddress(String sdp) {
        Matcher c = Pattern.compile("(?m)^c=IN IP4 (\\S+)").matcher(sdp), m = Pattern.compile("(?m)^m=audio (\\d+)").matcher(sdp);
        if (!c.find() || !m.find()) throw new AssertionError("no media address in " + sdp);
        return new InetSocketAddress(c.group(1), Integer.parseInt(m.group(1)));
    }

    /** A PCMU RTP packet whose payload names its sender. */
    private static String rtp(int seq, String payload) {
        byte[] h = {(byte) 0x80, 0, (byte) (seq >> 8), (byte) seq, 0, 0, (byte) (seq >> 8), (byte) seq, 1, 2, 3, 4};
        return new String(h, StandardCharsets.ISO_8859_1) + payload + " ".repeat(160 - payload.length());
    }

    /** "true" when the RPC output's expiry date is {@code seconds} from now (give or take the time the test took). */
    private static String expiresIn(String rpcOutput, int seconds) {
        Matcher m = DATE.matcher(rpcOutput);
        if (!m.find()) return "no expiry in " + rpcOutput;
        long in = Duration.between(LocalDateTime.now(), LocalDateTime.parse(m.group(), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))).toSeconds();
        return in > seconds - 20 && in <= seconds ? "true" : "in " + in + " s: " + rpcOutput;
    }

    private static boolean poll(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return true;
            Thread.sleep(200); // polling another process's state with a deadline
        }
        return false;
    }

    private static String status(String reply) {
        return reply == null ? "no reply" : reply.substring(0, reply.indexOf("\r\n"));
    }

    private static String requestLine(String msg, Names names) {
        return names.apply(msg.substring(0, msg.indexOf("\r\n")));
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /** Replaces the scenario's addresses by names, host:port before bare addresses, alias form too. */
    static final class Names {
        private final Map<String, String> byValue = new LinkedHashMap<>();

        /** The PBX's names come with SIPp's ({@link SippNatCall#name}). */
        Names(String proxyIp, NatUa alice, NatUa bob, NatUa flooder) {
            for (NatUa ua : List.of(alice, bob)) {
                String n = ua.user.toUpperCase(java.util.Locale.ROOT);
                byValue.put(ua.real(), n);
                byValue.put(ua.real().replace(':', '~'), n.toLowerCase(java.util.Locale.ROOT) + "-ip~port");
                byValue.put(ua.rtp.hostPort(), n + "_RTP");
                byValue.put(ua.advertised, n + "_NAT");
            }
            for (NatUa ua : List.of(alice, bob)) {
                String n = ua.user.toUpperCase(java.util.Locale.ROOT);
                byValue.put(ua.real().split(":")[0], n + "_IP");
                byValue.put(ua.advertisedIp(), n + "_NAT_IP");
            }
            byValue.put(flooder.real().split(":")[0], "FLOODER_IP");
            for (NatUa ua : List.of(alice, bob, flooder)) byValue.put("rport=" + ua.sip.port(), "rport=" + ua.user.toUpperCase(java.util.Locale.ROOT) + "_PORT");
            byValue.put(proxyIp, "PROXY");
        }

        /** One more address and its name, after those of the constructor. */
        void put(String value, String name) {
            byValue.put(value, name);
        }

        String apply(String s) {
            for (Map.Entry<String, String> e : byValue.entrySet()) {
                s = s.replaceAll("(?<![\\d.])" + Pattern.quote(e.getKey()) + "(?![\\d])", Matcher.quoteReplacement(e.getValue()));
            }
            return s;
        }

        /**
         * As {@link #apply}, and what differs run to run masked: Via branches, tags (SIPp's carry its pid), Call-IDs,
         * nonces; and the two proxies' own signature in Server (server_header's default).
         */
        String masked(String s) {
            return apply(s).replaceAll("branch=[^;,>\\s]+", "branch=BRANCH").replaceAll("tag=[^;,>\\s]+", "tag=TAG")
                    .replaceAll("\\b(alice|flood)-[0-9a-f]+\\b", "TAG").replaceAll("\\b\\d+(call|answer)\\d+\\b", "TAG").replaceAll("nonce=\"[^\"]*\"", "nonce=NONCE")
                    .replaceAll("(?i)^(Call-ID|i):.*", "$1: CALLID")
                    .replaceAll("^Server: (kamailio \\(5\\.6\\.3 \\([^()]*\\)\\)|kemi \\([^()]*\\))$", "Server: SIGNATURE").replaceAll("(?m)^m=audio \\d+", "m=audio RELAYPORT");
        }

        /** An SDP on one line, the relay's ports (which differ run to run) as RELAYPORT. */
        String sdp(String body) {
            return apply(body).replaceAll("(?m)^m=audio \\d+", "m=audio RELAYPORT").replaceAll("(?m)^a=rtcp:\\d+", "a=rtcp:RELAYPORT")
                    .replace("\r\n", "|");
        }
    }
}
