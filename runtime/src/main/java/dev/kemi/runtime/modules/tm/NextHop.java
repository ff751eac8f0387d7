package dev.kemi.runtime.modules.tm;

import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import dev.kemi.runtime.transport.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where a branch goes: $du if set, else the branch URI, or a host/port forced by t_relay(host,
 * port) and friends; protocol from the URI's transport parameter unless forced. No SRV/NAPTR:
 * a host name is resolved with the JVM resolver.
 */
record NextHop(Protocol proto, InetSocketAddress address) {

    /** A destination given by the script instead of the URI (t_relay_to*, t_relay(host, port)). */
    record Forced(Protocol proto, String host, int port) {
        /** "[proto:]host[:port]" as t_relay_to_proxy / native t_relay_to take it. */
        static Forced parse(String s, Protocol dflt) {
            String v = s.trim();
            Protocol p = dflt;
            int c = v.indexOf(':');
            if (c > 0 && !v.startsWith("[")) {
                String first = v.substring(0, c);
                try {
                    p = Protocol.parse(first);
                    v = v.substring(c + 1);
                } catch (IllegalArgumentException notProto) {
                    // plain host:port
                }
            }
            int port = 0;
            int close = v.lastIndexOf(']');
            int pc = v.lastIndexOf(':');
            boolean hasPort = v.startsWith("[") ? pc > close : pc > 0 && v.indexOf(':') == pc;
            if (hasPort) {
                port = Integer.parseInt(v.substring(pc + 1).trim());
                v = v.substring(0, pc);
            }
            return new Forced(p, v, port);
        }
    }

    /** Resolves; throws {@link TmException} with E_BAD_URI / E_BAD_ADDRESS as Kamailio would. */
    static NextHop resolve(String uri, Forced forced, Protocol forceProto) throws TmException {
        String host;
        int port;
        Protocol proto;
        boolean secure = false;
        if (forced != null) {
            host = forced.host();
            port = forced.port();
            proto = forced.proto() != null ? forced.proto() : Protocol.UDP;
        } else {
            SipUri u;
            try {
                u = SipUri.parse(uri);
            } catch (SipParseException | RuntimeException e) {
                throw new TmException(TmErrors.E_BAD_URI);
            }
            if (u.host() == null) throw new TmException(TmErrors.E_BAD_URI);
            secure = "sips".equals(u.scheme());
            host = u.param("maddr");
            if (host == null) host = u.host();
            port = u.port();
            String t = u.transport();
            try {
                proto = t != null ? Protocol.parse(t) : secure ? Protocol.TLS : Protocol.UDP;
            } catch (IllegalArgumentException e) {
                throw new TmException(TmErrors.E_BAD_ADDRESS);
            }
        }
        if (forceProto != null) proto = forceProto;
        if (port <= 0) port = proto == Protocol.TLS || proto == Protocol.WSS || secure ? 5061 : 5060;
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return new NextHop(proto, new InetSocketAddress(InetAddress.getByName(h), port));
        } catch (UnknownHostException | SecurityException e) {
            throw new TmException(TmErrors.E_BAD_ADDRESS);
        }
    }

    /** A tm failure carrying Kamailio's internal error code. */
    static final class TmException extends Exception {
        final int code;

        TmException(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }
}
