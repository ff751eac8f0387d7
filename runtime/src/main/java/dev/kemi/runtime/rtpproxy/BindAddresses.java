package dev.kemi.runtime.rtpproxy;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * The relay's local media addresses ({@code -l}) and what replies advertise for them ({@code -A}).
 * Without {@code -l} media sockets bind to the wildcard and replies carry only the port.
 */
final class BindAddresses {

    private static final InetAddress ANY4 = any(false);
    private static final InetAddress ANY6 = any(true);

    private final InetAddress first;
    private final InetAddress second;
    private final String advertisedFirst;
    private final String advertisedSecond;

    BindAddresses(List<InetAddress> listen, List<String> advertised) {
        this.first = listen.isEmpty() ? ANY4 : listen.get(0);
        this.second = listen.size() > 1 ? listen.get(1) : null;
        this.advertisedFirst = advertised.isEmpty() ? null : advertised.get(0);
        this.advertisedSecond = advertised.size() > 1 ? advertised.get(1) : null;
    }

    /** Internal (or only) address. */
    InetAddress first() {
        return first;
    }

    /** External address in bridge mode, else null. */
    InetAddress second() {
        return second;
    }

    /** A configured address of the wanted family; the wildcard of that family when none was configured. */
    InetAddress forFamily(boolean ipv6) {
        for (InetAddress a : second == null ? List.of(first) : List.of(first, second)) {
            if ((a instanceof Inet6Address) == ipv6) {
                return a;
            }
        }
        return first.isAnyLocalAddress() ? (ipv6 ? ANY6 : ANY4) : null;
    }

    /**
     * Reply for a U/L: {@code port}, or {@code port addr} (IPv4), or {@code port addr 6}; the
     * address is the advertised one if configured (external one for streams on the external
     * address in bridge mode), and omitted for wildcard-bound sockets, as rtpproxy does.
     */
    String formatReply(int port, InetAddress local) {
        if (local == null || local.isAnyLocalAddress()) {
            return Integer.toString(port);
        }
        String shown;
        if (advertisedFirst == null) {
            shown = NetUtil.toAddressString(local);
        } else if (second != null && advertisedSecond != null && local.equals(second)) {
            shown = advertisedSecond;
        } else {
            shown = advertisedFirst;
        }
        return port + " " + shown + (local instanceof Inet4Address ? "" : " 6");
    }

    private static InetAddress any(boolean ipv6) {
        try {
            return InetAddress.getByAddress(new byte[ipv6 ? 16 : 4]);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
