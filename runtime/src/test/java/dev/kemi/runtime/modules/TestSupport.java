package dev.kemi.runtime.modules;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.RoutingScript;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.transport.ReceiveInfo;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.transport.Destination;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import dev.kemi.runtime.transport.SipSender;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/** Message contexts over parsed text, with services that record what would be sent. */
public final class TestSupport {
    private TestSupport() {}

    public static ListenSocket socket(Protocol p, String ip, int port) {
        try {
            return new ListenSocket(p, new InetSocketAddress(InetAddress.getByName(ip), port), null, 0, null);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One message that went out. */
    public record Sent(Destination dst, byte[] bytes) {
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public SipMessage parsed() {
            try {
                return SipMessage.parse(bytes);
            } catch (SipParseException e) {
                throw new AssertionError("sent message does not parse: " + e.getMessage() + "\n" + text());
            }
        }
    }

    public static final class FakeServices implements ProxyServices {
        private final dev.kemi.runtime.stats.Statistics statistics = new dev.kemi.runtime.stats.Statistics();

        @Override
        public dev.kemi.runtime.stats.Statistics statistics() {
            return statistics;
        }

        public final List<ListenSocket> sockets = new ArrayList<>();
        public final List<Sent> sent = new ArrayList<>();
        public final Map<String, String> globals = new HashMap<>();
        public final List<String> aliases = new ArrayList<>();
        public FunctionTable functions;
        public boolean refuse;
        /** What the mhomed route lookup answers (null: mhomed off). */
        public ListenSocket routed;

        public FakeServices(ListenSocket... socks) {
            sockets.addAll(List.of(socks));
        }

        @Override
        public SipSender sender() {
            return (dst, message, onLateFailure) -> {
                if (refuse) return false;
                sent.add(new Sent(dst, message));
                return true;
            };
        }

        @Override
        public List<ListenSocket> sockets() { return sockets; }

        @Override
        public boolean isMyself(String host, int port, Protocol proto) {
            String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            for (ListenSocket s : sockets) {
                boolean hostOk = s.address().getAddress().getHostAddress().equalsIgnoreCase(h) || aliases.contains(h);
                if (hostOk && (port == 0 || s.address().getPort() == port) && (proto == null || s.proto() == proto)) return true;
            }
            return false;
        }

        @Override
        public ListenSocket socketFor(Protocol proto, InetAddress peer) {
            for (ListenSocket s : sockets) if (s.proto() == proto) return s;
            return null;
        }

        @Override
        public ListenSocket routedSocket(Protocol proto, InetAddress peer) { return routed; }

        @Override
        public RoutingScript script() { return null; }

        @Override
        public FunctionTable functions() { return functions; }

        @Override
        public void runOnWorker(String key, Runnable task) { task.run(); }

        @Override
        public ScheduledExecutorService timers() { return null; }

        @Override
        public String globalParam(String name) { return globals.get(name); }

        public Sent last() {
            if (sent.isEmpty()) throw new AssertionError("nothing was sent");
            return sent.get(sent.size() - 1);
        }
    }

    /** Message text with "\n" line ends turned into CRLF; Content-Length must be right. */
    public static SipMessage parse(String text) {
        try {
            return SipMessage.parse(text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (SipParseException e) {
            throw new AssertionError(e);
        }
    }

    /** A context for a message received on the first socket from 127.0.0.2:5070. */
    public static MessageContext ctx(FakeServices svc, String text) {
        return ctx(svc, text, 0, "127.0.0.2", 5070);
    }

    public static MessageContext ctx(FakeServices svc, String text, int socketIndex, String srcIp, int srcPort) {
        try {
            return new MessageContext(parse(text), new ReceiveInfo(
                    new InetSocketAddress(InetAddress.getByName(srcIp), srcPort), svc.sockets.get(socketIndex)), svc);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An INVITE from 127.0.0.2:5070 to sip:bob@127.0.0.1 with extra header lines. */
    public static String invite(String... extra) {
        StringBuilder b = new StringBuilder()
                .append("INVITE sip:bob@127.0.0.1 SIP/2.0\n")
                .append("Via: SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bK-abc;rport\n")
                .append("Max-Forwards: 70\n")
                .append("From: \"Alice\" <sip:alice@127.0.0.2>;tag=f1\n")
                .append("To: <sip:bob@127.0.0.1>\n")
                .append("Call-ID: call-1@127.0.0.2\n")
                .append("CSeq: 1 INVITE\n")
                .append("Contact: <sip:alice@127.0.0.2:5070>\n");
        for (String e : extra) b.append(e).append('\n');
        return b.append("Content-Length: 0\n\n").toString();
    }
}
