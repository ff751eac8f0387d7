package dev.kemi.runtime.compare;

import dev.kemi.runtime.transport.Destination;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import dev.kemi.runtime.transport.SipSender;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The proxy's {@link SipSender} in virtual mode: records every message the proxy sends and
 * delivers it to the UA at that address through the virtual clock (never re-entering the proxy
 * while it is still routing). A request to an address nobody has goes to the UA it is for
 * ({@link CalleeFinder}); anything else there is "the void": recorded, and for TCP the connect
 * fails later.
 */
public final class VirtualNetwork implements SipSender {
    private final VirtualScheduler clock;
    private final Driver.Wire wire;
    private final Map<String, String> uaByKey = new HashMap<>();
    private final Set<String> tcpConnected = new HashSet<>();
    private final CalleeFinder callees = new CalleeFinder();
    private List<ListenSocket> proxySockets = List.of();

    VirtualNetwork(VirtualScheduler clock, Driver.Wire wire) {
        this.clock = clock;
        this.wire = wire;
    }

    void addUa(String name, Protocol proto, InetSocketAddress addr, boolean answers) {
        uaByKey.put(key(proto, addr), name);
        callees.add(name, addr, answers);
    }

    void proxySockets(List<ListenSocket> sockets) {
        this.proxySockets = List.copyOf(sockets);
    }

    /** A UA opened a TCP connection to the proxy (it sent over TCP): the proxy may reuse it. */
    void connected(InetSocketAddress ua) {
        tcpConnected.add(key(Protocol.TCP, ua));
    }

    @Override
    public boolean send(Destination dst, byte[] message, Runnable onLateFailure) {
        ListenSocket from = dst.socket() != null ? dst.socket() : firstSocket(dst.proto());
        if (from == null) {
            wire.note("proxy tried to send over " + dst.proto().lower() + " to " + addr(dst.address()) + " but has no such socket");
            return false;
        }
        String k = key(dst.proto(), dst.address());
        String ua = uaByKey.containsKey(k) ? uaByKey.get(k) : callees.calleeOf(message);
        boolean tcp = dst.proto() == Protocol.TCP;
        if (tcp && dst.noConnect() && !tcpConnected.contains(k)) {
            wire.note("proxy refused to send over tcp to " + addr(dst.address()) + ": no connection (no-connect)");
            return false;
        }
        byte[] copy = message.clone();
        boolean deliver = wire.proxySent(ua, dst.proto(), dst.address(), from.toString(), copy);
        if (ua != null) {
            if (tcp) tcpConnected.add(k);
            if (deliver) clock.execute(() -> wire.deliver(ua, copy));
        } else if (tcp && onLateFailure != null) {
            clock.execute(onLateFailure);
        }
        return true;
    }

    private ListenSocket firstSocket(Protocol p) {
        for (ListenSocket s : proxySockets) if (s.proto() == p) return s;
        return null;
    }

    static String addr(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static String key(Protocol p, InetSocketAddress a) {
        return p.lower() + " " + addr(a);
    }
}
