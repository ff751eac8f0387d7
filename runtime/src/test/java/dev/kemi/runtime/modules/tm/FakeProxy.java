package dev.kemi.runtime.modules.tm;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.RoutingScript;
import dev.kemi.api.ScriptContext;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.transport.ReceiveInfo;
import dev.kemi.runtime.sip.SipMessage;
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
import java.util.function.Consumer;

/** ProxyServices for tm tests: records what is sent, runs named routes from a map, no threads. */
final class FakeProxy implements ProxyServices, SipSender, RoutingScript {
        private final dev.kemi.runtime.stats.Statistics statistics = new dev.kemi.runtime.stats.Statistics();

        @Override
        public dev.kemi.runtime.stats.Statistics statistics() {
            return statistics;
        }

    record Sent(Destination dst, String text) {
        SipMessage parse() {
            try {
                return SipMessage.parse(text.getBytes(StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        String firstLine() {
            return text.substring(0, text.indexOf("\r\n"));
        }
    }

    static final InetSocketAddress UAC = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5070);
    final ListenSocket udp = new ListenSocket(Protocol.UDP, new InetSocketAddress(InetAddress.getLoopbackAddress(), 5060), null, 0, null);
    final ListenSocket tcp = new ListenSocket(Protocol.TCP, new InetSocketAddress(InetAddress.getLoopbackAddress(), 5060), null, 0, null);
    /** A second UDP socket, used only when named (a branch's socket). */
    final ListenSocket udp2 = new ListenSocket(Protocol.UDP, new InetSocketAddress(InetAddress.getLoopbackAddress(), 5062), null, 0, null);
    final List<Sent> sent = new ArrayList<>();
    final Map<String, Consumer<MessageContext>> routes = new HashMap<>();
    final List<String> routesRun = new ArrayList<>();
    /** onLateFailure callbacks of accepted sends, to simulate a failed TCP connect. */
    final List<Runnable> lateFailures = new ArrayList<>();
    /** Sends to destinations with noConnect fail, as with no TCP connection open. */
    boolean failNoConnect = true;
    /** Runs inside each send, after the message is recorded: a peer answering before the sender returns. */
    Consumer<Sent> whileSending = s -> { };

    MessageContext request(String text) {
        return context(text, udp);
    }

    MessageContext context(String text, ListenSocket on) {
        try {
            return new MessageContext(SipMessage.parse(text.getBytes(StandardCharsets.UTF_8)), new ReceiveInfo(UAC, on), this);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Messages sent to a port, in order. */
    List<Sent> sentTo(int port) {
        return sent.stream().filter(s -> s.dst().address().getPort() == port).toList();
    }

    Sent last() {
        return sent.get(sent.size() - 1);
    }

    // ---- SipSender
    @Override
    public boolean send(Destination dst, byte[] message, Runnable onLateFailure) {
        if (dst.noConnect() && failNoConnect) return false;
        Sent s = new Sent(dst, new String(message, StandardCharsets.UTF_8));
        sent.add(s);
        if (onLateFailure != null) lateFailures.add(onLateFailure);
        whileSending.accept(s);
        return true;
    }

    // ---- ProxyServices
    @Override public SipSender sender() { return this; }
    @Override public List<ListenSocket> sockets() { return List.of(udp, tcp, udp2); }
    @Override public boolean isMyself(String host, int port, Protocol proto) { return false; }
    @Override public ListenSocket socketFor(Protocol proto, InetAddress peer) {
        return proto == Protocol.UDP ? udp : proto == Protocol.TCP ? tcp : null;
    }
    @Override public RoutingScript script() { return this; }
    @Override public FunctionTable functions() { return null; }
    @Override public void runOnWorker(String key, Runnable task) { task.run(); }
    @Override public ScheduledExecutorService timers() { throw new UnsupportedOperationException(); }
    @Override public String globalParam(String name) { return null; }

    // ---- RoutingScript
    @Override public void onRequest(ScriptContext ctx) {}
    @Override public void onReply(ScriptContext ctx) {}
    @Override public void onNamedRoute(int routeType, String name, ScriptContext ctx) {
        routesRun.add(name);
        Consumer<MessageContext> r = routes.get(name);
        if (r != null) r.accept((MessageContext) ctx);
    }
    @Override public void onSend(ScriptContext ctx) {}
    @Override public void onEvent(String event, ScriptContext ctx) {}
    @Override public boolean has(int routeType, String name) { return routes.containsKey(name); }
}
