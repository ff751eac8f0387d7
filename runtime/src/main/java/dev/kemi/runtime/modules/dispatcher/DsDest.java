package dev.kemi.runtime.modules.dispatcher;

import dev.kemi.runtime.transport.Protocol;
import java.net.InetAddress;

/**
 * One destination of a set (Kamailio's ds_dest_t): its URI as loaded, the address it resolved
 * to at load time, its state flags and attributes. Flags and the message counter change under
 * the set's lock.
 */
final class DsDest {
    final String uri;
    final String host;
    /** 0 when the URI has none (then any port matches in ds_is_from_list). */
    final int port;
    /** null when the URI has no transport parameter (Kamailio's PROTO_NONE). */
    final Protocol proto;
    /** null with flag 16 (no DNS resolution). */
    final InetAddress ip;
    final int priority;
    final DsAttrs attrs;
    int flags;
    int messageCount;
    /** Calls algorithm 10 counts on this destination (dload). */
    int dload;

    DsDest(String uri, String host, int port, Protocol proto, InetAddress ip, int flags, int priority, DsAttrs attrs) {
        this.uri = uri;
        this.host = host;
        this.port = port;
        this.proto = proto;
        this.ip = ip;
        this.flags = flags;
        this.priority = priority;
        this.attrs = attrs;
    }

    /** ds_skip_dst: inactive or disabled. */
    static boolean skip(int flags) {
        return (flags & (Ds.INACTIVE | Ds.DISABLED)) != 0;
    }
}
