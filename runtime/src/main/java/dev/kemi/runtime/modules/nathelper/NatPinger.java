package dev.kemi.runtime.modules.nathelper;

import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RateLimitedLog;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.usrloc.UContact;
import dev.kemi.runtime.modules.usrloc.UDomain;
import dev.kemi.runtime.modules.usrloc.URecord;
import dev.kemi.runtime.modules.usrloc.UsrlocApi;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import dev.kemi.runtime.transport.Destination;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * NAT keepalives of registered contacts (Kamailio's nh_timer): every second each of the
 * natping_processes partitions pings the contacts of the usrloc hash slots whose turn it is, so
 * every contact gets one ping per natping_interval. A contact with the sipping branch flag (or
 * every contact when ping_nated_only is off and sipping is on) gets a SIP request built as
 * Kamailio's build_sipping; the others get the 4-byte UDP keepalive. Sent to the received
 * address when there is one, else to the Contact; UDP only.
 */
final class NatPinger {
    private final ProxyServices services;
    private final UsrlocApi ul;
    private final NathelperConfig cfg;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private final RateLimitedLog failures = ScriptLog.throttled();
    private final long started = System.nanoTime();
    private final AtomicInteger fromTag = new AtomicInteger(ThreadLocalRandom.current().nextInt());
    private final AtomicInteger callIdCounter = new AtomicInteger(ThreadLocalRandom.current().nextInt());
    /** The fixed part of every ping's Call-ID (replies are recognised by it). */
    final String callIdPrefix = reverseHex(ThreadLocalRandom.current().nextInt());

    NatPinger(ProxyServices services, UsrlocApi ul, NathelperConfig cfg) {
        this.services = services;
        this.ul = ul;
        this.cfg = cfg;
    }

    void start() {
        for (int i = 0; i < cfg.natpingProcesses; i++) {
            int idx = i;
            int[] iteration = {0};
            timers.add(services.timers().scheduleAtFixedRate(() -> {
                int part = idx * cfg.natpingInterval + iteration[0];
                iteration[0] = (iteration[0] + 1) % cfg.natpingInterval;
                if (!cfg.pingEnabled) return;
                services.runOnWorker("nathelper-natping-" + idx, () -> pingPartition(part));
            }, 1, 1, TimeUnit.SECONDS));
        }
    }

    void stop() {
        for (ScheduledFuture<?> t : timers) t.cancel(false);
    }

    /** One partition: the slots i with i % (processes * interval) == part, of every table. */
    void pingPartition(int part) {
        int parts = cfg.natpingProcesses * cfg.natpingInterval;
        int flags = cfg.pingNatedOnly ? ul.natFlag() : 0;
        List<Ping> pings = new ArrayList<>();
        for (UDomain d : ul.domains()) {
            d.forEachInPartition(part, parts, r -> {
                for (UContact c : r.contacts()) {
                    if ((c.cflags() & flags) != flags) continue;
                    if (cfg.filterServerId && c.serverId() != ul.serverId()) continue;
                    pings.add(new Ping(r, c));
                }
            });
        }
        for (Ping p : pings) {
            try {
                send(p.record, p.contact);
            } catch (RuntimeException e) {
                // one contact's ping failing (a bug, an odd contact) must not stop the round
                failures.error("ping", "nathelper: ping of " + p.contact.contact() + " failed: " + e, e);
            }
        }
    }

    private record Ping(URecord record, UContact contact) {}

    private void send(URecord r, UContact c) {
        int cflags = c.cflags();
        if ((cflags & cfg.natpingDisableFlag) != 0) return;
        String dst = c.received().isEmpty() ? c.contact() : c.received();
        String path = c.path();
        if (!path.isEmpty() && (cflags & cfg.sippingFlag) != 0) dst = firstPathUri(path);
        SipUri uri;
        try {
            uri = SipUri.parse(dst);
        } catch (SipParseException e) {
            ScriptLog.log(ScriptLog.ERR, "nathelper: can't parse contact/received uri " + dst);
            return;
        }
        if (uri.transport() != null && !uri.transport().equals("udp")) return;
        InetAddress addr = NatUacTest.literal(uri.host());
        if (addr == null) {
            // Kamailio resolves the host here; we do not block the worker on DNS
            ScriptLog.log(ScriptLog.ERR, "nathelper: can't resolve_host " + uri.host() + " (only IP addresses are pinged)");
            return;
        }
        InetSocketAddress to = new InetSocketAddress(addr, uri.port() > 0 ? uri.port() : 5060);
        ListenSocket sock = cfg.forceSocket != null ? cfg.forceSocket : socketNamed(c.socket());
        if (sock == null) sock = services.socketFor(Protocol.UDP, addr);
        if (sock == null) {
            ScriptLog.log(ScriptLog.ERR, "nathelper: can't get sending socket");
            return;
        }
        boolean sip = (cflags & cfg.sippingFlag) != 0 || (!cfg.pingNatedOnly && cfg.sippingFlag != 0);
        byte[] data = sip ? sipPing(c.contact(), sock, path, c.ruid(), r.hash()) : new byte[4]; // the 4-byte keepalive: all zero
        services.sender().send(new Destination(Protocol.UDP, to, sock, false, false), data, null);
    }

    private ListenSocket socketNamed(String s) {
        if (s == null || s.isEmpty()) return null;
        for (ListenSocket ls : services.sockets()) if (ls.proto() == Protocol.UDP && ls.toString().equalsIgnoreCase(s)) return ls;
        return null;
    }

    /** get_path_dst_uri: the first URI of the Path vector. */
    static String firstPathUri(String path) {
        String p = path.strip();
        int lt = p.indexOf('<');
        if (lt >= 0) {
            int gt = p.indexOf('>', lt);
            return gt > lt ? p.substring(lt + 1, gt) : p.substring(lt + 1);
        }
        int comma = p.indexOf(',');
        return comma < 0 ? p : p.substring(0, comma).strip();
    }

    /** build_sipping. */
    byte[] sipPing(String curi, ListenSocket s, String path, String ruid, int aorHash) {
        String method = cfg.sippingMethod;
        StringBuilder b = new StringBuilder(256);
        b.append(method).append(' ').append(curi).append(" SIP/2.0\r\nVia: SIP/2.0/UDP ");
        b.append(s.viaHost()).append(':').append(s.viaPort());
        b.append(";branch=z9hG4bK").append(ThreadLocalRandom.current().nextInt(1000000, 9999999));
        if (!path.isEmpty()) b.append("\r\nRoute: ").append(path);
        b.append("\r\nFrom: ").append(cfg.sippingFrom).append(";tag=").append(ruid).append('-')
                .append(reverseHex(aorHash)).append('-').append(reverseHex(fromTag.getAndIncrement()));
        b.append("\r\nTo: ").append(curi);
        long ticks = (System.nanoTime() - started) / 1_000_000_000L;
        b.append("\r\nCall-ID: ").append(callIdPrefix).append('-').append(reverseHex(callIdCounter.getAndIncrement()))
                .append('-').append(reverseHex((int) ticks)).append('@').append(NetUtil.toAddressString(s.address().getAddress()));
        b.append("\r\nCSeq: 1 ").append(method).append("\r\nContent-Length: 0\r\n\r\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Kamailio's int2reverse_hex: hex digits, least significant first. */
    static String reverseHex(int v) {
        long n = v & 0xFFFFFFFFL;
        if (n == 0) return "0";
        StringBuilder b = new StringBuilder(8);
        while (n != 0) {
            b.append(Character.forDigit((int) (n & 0xf), 16));
            n >>>= 4;
        }
        return b.toString();
    }
}
