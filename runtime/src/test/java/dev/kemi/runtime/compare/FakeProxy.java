package dev.kemi.runtime.compare;

import dev.kemi.runtime.transport.Destination;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import dev.kemi.runtime.transport.SipSender;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A tiny transaction-stateful proxy for the harness tests: routes by Route/R-URI, Record-Routes
 * INVITEs, answers 100, retransmits INVITEs over UDP (timer A), sends 408 when its final-response
 * timer fires, absorbs ACKs of non-2xx and relays CANCEL. Its "cfg" is key=value lines:
 * listen=udp:127.0.0.1:5060 (repeatable), seed=N (changes generated ids only), fr=ms, t1=ms,
 * variant=bye-header|extra-ack|no-100|myself-any-port (behaviour changes for divergence tests).
 */
final class FakeProxy implements ProxyUnderTest {
    static final ProxyFactory FACTORY = (cfg, net, timers) -> new FakeProxy(Files.readAllLines(cfg), net, timers);

    private final List<ListenSocket> sockets = new ArrayList<>();
    private final SipSender net;
    private final ScheduledExecutorService timers;
    private final Set<String> variants = new HashSet<>();
    private int seed = 1;
    private long fr = 3000;
    private long t1 = 500;
    private int counter;
    private final Map<String, Txn> byUaBranch = new HashMap<>();
    private final Map<String, Txn> byOurBranch = new HashMap<>();

    private final class Txn {
        SipText req;
        InetSocketAddress from;
        ListenSocket in;
        String ourBranch;
        String forwarded;
        Destination dst;
        ScheduledFuture<?> retransmit;
        ScheduledFuture<?> timeout;
        int finalCode;
        String lastProvisional;
        boolean cancel;
    }

    FakeProxy(List<String> cfg, SipSender net, ScheduledExecutorService timers) {
        this.net = net;
        this.timers = timers;
        for (String l : cfg) {
            String[] kv = l.split("=", 2);
            if (kv.length != 2) continue;
            switch (kv[0].trim()) {
                case "listen" -> {
                    String[] p = kv[1].trim().split(":");
                    sockets.add(new ListenSocket(Protocol.parse(p[0]), new InetSocketAddress(p[1], Integer.parseInt(p[2])), null, 0, null));
                }
                case "seed" -> seed = Integer.parseInt(kv[1].trim());
                case "fr" -> fr = Long.parseLong(kv[1].trim());
                case "t1" -> t1 = Long.parseLong(kv[1].trim());
                case "variant" -> variants.add(kv[1].trim());
                default -> { }
            }
        }
    }

    @Override
    public List<ListenSocket> sockets() {
        return sockets;
    }

    @Override
    public void receive(byte[] message, InetSocketAddress from, ListenSocket at) {
        SipText m = SipText.parse(message);
        if (m.isResponse()) onResponse(m);
        else onRequest(m, from, at);
    }

    private void onRequest(SipText m, InetSocketAddress from, ListenSocket at) {
        String cseq = m.header("CSeq");
        if (m.method().equals("ACK") && (cseq == null || !cseq.trim().matches("\\d+\\s+\\w+"))) return;
        if (cseq == null || !cseq.trim().matches("\\d+\\s+\\w+")) {
            reply(m, from, at, 400, "Bad CSeq");
            return;
        }
        if ("0".equals(trim(m.header("Max-Forwards")))) {
            reply(m, from, at, 483, "Too Many Hops");
            return;
        }
        String method = m.method();
        Txn known = byUaBranch.get(UaAgent.topBranch(m));
        if (method.equals("ACK") && known != null && known.finalCode >= 300 && !variants.contains("extra-ack")) return;
        if (method.equals("CANCEL")) {
            if (known == null) {
                reply(m, from, at, 481, "Call/Transaction Does Not Exist");
                return;
            }
            reply(m, from, at, 200, "OK");
            if (known.finalCode == 0) cancelDownstream(known);
            return;
        }
        if (method.equals("INVITE") && known != null) {
            if (known.lastProvisional != null) send(known.from, known.in, known.lastProvisional);
            return;
        }
        List<String> routes = new ArrayList<>(m.values("Route"));
        if (!routes.isEmpty() && isMe(SipText.uriOf(routes.get(0)))) routes.remove(0);
        String next = routes.isEmpty() ? m.requestUri() : SipText.uriOf(routes.get(0));
        if (routes.isEmpty() && isMe(next)) {
            reply(m, from, at, method.equals("OPTIONS") ? 200 : 404, method.equals("OPTIONS") ? "OK" : "Not Here");
            return;
        }
        Txn t = new Txn();
        t.req = m;
        t.from = from;
        t.in = at;
        t.ourBranch = "z9hG4bK" + Integer.toHexString(seed * 7919 + 31) + "." + (++counter);
        Protocol proto = next.contains(";transport=tcp") ? Protocol.TCP : Protocol.UDP;
        t.dst = new Destination(proto, hostPort(next), socket(proto), false, false);
        t.forwarded = forward(m, routes, socket(proto), t.ourBranch, method);
        if (!method.equals("ACK")) {
            byUaBranch.put(UaAgent.topBranch(m), t);
            byOurBranch.put(t.ourBranch, t);
        }
        if (method.equals("INVITE")) {
            if (!variants.contains("no-100")) reply(m, from, at, 100, "Trying");
            t.timeout = timers.schedule(() -> timeout(t), fr, TimeUnit.MILLISECONDS);
            if (proto == Protocol.UDP) retransmit(t, t1);
        }
        net.send(t.dst, t.forwarded.getBytes(StandardCharsets.UTF_8), null);
    }

    private void retransmit(Txn t, long after) {
        t.retransmit = timers.schedule(() -> {
            net.send(t.dst, t.forwarded.getBytes(StandardCharsets.UTF_8), null);
            retransmit(t, Math.min(after * 2, 4000));
        }, after, TimeUnit.MILLISECONDS);
    }

    private void timeout(Txn t) {
        if (t.finalCode != 0) return;
        if (t.retransmit != null) t.retransmit.cancel(false);
        if (t.lastProvisional != null) cancelDownstream(t);
        t.finalCode = 408;
        reply(t.req, t.from, t.in, 408, "Request Timeout");
    }

    private void cancelDownstream(Txn t) {
        if (t.retransmit != null) t.retransmit.cancel(false);
        Txn c = new Txn();
        c.cancel = true;
        c.ourBranch = t.ourBranch;
        String first = t.forwarded.substring(0, t.forwarded.indexOf("\r\n"));
        String text = "CANCEL " + first.split(" ")[1] + " SIP/2.0\r\n" + "Via: SIP/2.0/" + t.dst.proto() + " " + hp(t.dst.socket()) + ";branch=" + t.ourBranch + "\r\n"
                + "Max-Forwards: 70\r\nFrom: " + t.req.header("From") + "\r\nTo: " + t.req.header("To") + "\r\nCall-ID: " + t.req.header("Call-ID")
                + "\r\nCSeq: " + t.req.header("CSeq").split("\\s+")[0] + " CANCEL\r\nContent-Length: 0\r\n\r\n";
        net.send(t.dst, text.getBytes(StandardCharsets.UTF_8), null);
    }

    private void onResponse(SipText r) {
        Txn t = byOurBranch.get(UaAgent.topBranch(r));
        if (t == null || r.method().equals("CANCEL")) return;
        if (t.retransmit != null) t.retransmit.cancel(false);
        int code = r.status();
        if (r.method().equals("INVITE")) {
            if (code >= 200 && t.timeout != null) t.timeout.cancel(false);
            if (code >= 300) ackDownstream(t, r);
            if (t.finalCode >= 200 && code >= 200) return;
        }
        String text = dropTopVia(r.text());
        if (code < 200) t.lastProvisional = text;
        else t.finalCode = code;
        send(t.from, t.in, text);
    }

    private void ackDownstream(Txn t, SipText r) {
        String first = t.forwarded.substring(0, t.forwarded.indexOf("\r\n"));
        String text = "ACK " + first.split(" ")[1] + " SIP/2.0\r\nVia: SIP/2.0/" + t.dst.proto() + " " + hp(t.dst.socket()) + ";branch=" + t.ourBranch + "\r\n"
                + "Max-Forwards: 70\r\nFrom: " + t.req.header("From") + "\r\nTo: " + r.header("To") + "\r\nCall-ID: " + t.req.header("Call-ID")
                + "\r\nCSeq: " + t.req.header("CSeq").split("\\s+")[0] + " ACK\r\nContent-Length: 0\r\n\r\n";
        net.send(t.dst, text.getBytes(StandardCharsets.UTF_8), null);
    }

    private String forward(SipText m, List<String> routes, ListenSocket out, String branch, String method) {
        StringBuilder b = new StringBuilder(m.firstLine()).append("\r\n");
        b.append("Via: SIP/2.0/").append(out.proto()).append(' ').append(hp(out)).append(";branch=").append(branch).append("\r\n");
        if (method.equals("INVITE")) b.append("Record-Route: <sip:").append(hp(out)).append(";lr>\r\n");
        String text = m.text();
        String head = text.substring(text.indexOf("\r\n") + 2, text.indexOf("\r\n\r\n") + 2);
        for (String line : head.split("\r\n")) {
            if (line.isEmpty()) continue;
            String name = line.substring(0, line.indexOf(':')).trim();
            if (SipText.sameName(name, "Route")) continue;
            if (SipText.sameName(name, "Max-Forwards")) {
                line = "Max-Forwards: " + (Integer.parseInt(trim(line.substring(line.indexOf(':') + 1))) - 1);
            }
            b.append(line).append("\r\n");
        }
        if (!routes.isEmpty()) b.append("Route: ").append(String.join(", ", routes)).append("\r\n");
        if (method.equals("BYE") && variants.contains("bye-header")) b.append("X-Divergent: yes\r\n");
        return b.append("\r\n").append(m.body()).toString();
    }

    private void reply(SipText q, InetSocketAddress to, ListenSocket at, int code, String reason) {
        StringBuilder b = new StringBuilder("SIP/2.0 ").append(code).append(' ').append(reason).append("\r\n");
        for (String v : q.headerLines("Via")) b.append(v).append("\r\n");
        b.append("From: ").append(q.header("From")).append("\r\n");
        String toH = q.header("To");
        if (code > 100 && SipText.param(toH, "tag") == null) toH += ";tag=" + Integer.toHexString(seed * 104729) + "-" + (++counter);
        b.append("To: ").append(toH).append("\r\nCall-ID: ").append(q.header("Call-ID")).append("\r\nCSeq: ").append(q.header("CSeq"))
                .append("\r\nServer: fake proxy build ").append(seed).append("\r\nContent-Length: 0\r\n\r\n");
        send(to, at, b.toString());
    }

    private void send(InetSocketAddress to, ListenSocket at, String text) {
        net.send(new Destination(at.proto(), to, at, false, false), text.getBytes(StandardCharsets.UTF_8), null);
    }

    private static String dropTopVia(String text) {
        int start = text.indexOf("\r\n") + 2;
        for (int i = start; i < text.length(); ) {
            int end = text.indexOf("\r\n", i);
            String line = text.substring(i, end);
            String name = line.contains(":") ? line.substring(0, line.indexOf(':')).trim() : "";
            if (SipText.sameName(name, "Via")) {
                List<String> vias = SipText.splitValues(line.substring(line.indexOf(':') + 1));
                String rest = vias.size() > 1 ? "Via: " + String.join(", ", vias.subList(1, vias.size())) + "\r\n" : "";
                return text.substring(0, i) + rest + text.substring(end + 2);
            }
            i = end + 2;
        }
        return text;
    }

    private boolean isMe(String uri) {
        InetSocketAddress a = hostPort(uri);
        boolean noPort = !uri.replaceFirst("^sips?:", "").replaceFirst("^[^@]*@", "").split(";")[0].contains(":");
        for (ListenSocket s : sockets) {
            if (s.address().equals(a)) return true;
            if (noPort && variants.contains("myself-any-port") && s.address().getAddress().equals(a.getAddress())) return true;
        }
        return false;
    }

    private ListenSocket socket(Protocol p) {
        for (ListenSocket s : sockets) if (s.proto() == p) return s;
        return sockets.get(0);
    }

    static InetSocketAddress hostPort(String uri) {
        String u = uri.replaceFirst("^sips?:", "");
        if (u.contains("@")) u = u.substring(u.indexOf('@') + 1);
        u = u.split(";")[0];
        String[] p = u.split(":");
        return new InetSocketAddress(p[0], p.length > 1 ? Integer.parseInt(p[1]) : 5060);
    }

    private static String hp(ListenSocket s) {
        return s.address().getAddress().getHostAddress() + ":" + s.address().getPort();
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }
}
