package dev.kemi.runtime.rtpproxy;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of the media relay, named after rtpproxy's command line.
 *
 * @param listen    {@code -l}: one address, or two (internal/external) for bridge mode;
 *                  empty means the wildcard address
 * @param advertised {@code -A}: address(es) put in replies instead of the bound ones (0..2)
 * @param portMin   {@code -m}: lowest RTP port (rounded up to even)
 * @param portMax   {@code -M}: highest port (the RTCP port of the last pair)
 * @param control   {@code -s}: control sockets
 * @param ttlSeconds {@code -T}: idle time after which a session is dropped
 * @param logLevel  {@code -d}: rtpproxy log level name (DBUG, INFO, WARN, ERR, CRIT) or null
 * @param latchPackets {@code --latch-packets} (ours): a symmetric leg latches at once onto a
 *                  source on the signalled IP; onto another source (a NAT) only after this many
 *                  packets in a row from it, so one spoofed packet cannot take the leg over
 */
public record RtpProxyOptions(List<InetAddress> listen, List<String> advertised, int portMin, int portMax,
                              List<ControlSocket> control, int ttlSeconds, String logLevel, int latchPackets) {

    public static final int DEFAULT_LATCH_PACKETS = 3;

    public RtpProxyOptions(List<InetAddress> listen, List<String> advertised, int portMin, int portMax,
                           List<ControlSocket> control, int ttlSeconds, String logLevel) {
        this(listen, advertised, portMin, portMax, control, ttlSeconds, logLevel, DEFAULT_LATCH_PACKETS);
    }

    public static final int DEFAULT_PORT_MIN = 35000;
    public static final int DEFAULT_PORT_MAX = 65000;
    public static final int DEFAULT_TTL = 60;

    public RtpProxyOptions {
        listen = List.copyOf(listen);
        advertised = List.copyOf(advertised);
        control = List.copyOf(control);
        if (listen.size() > 2) {
            throw new IllegalArgumentException("-l takes one address or two (internal/external)");
        }
        if (advertised.size() > 2) {
            throw new IllegalArgumentException("-A takes one address or two (internal/external)");
        }
        if (advertised.size() == 2 && listen.size() != 2) {
            throw new IllegalArgumentException("two advertised addresses need bridge mode (-l int/ext)");
        }
        if (portMin < 1 || portMax > 65535 || portMin >= portMax) {
            throw new IllegalArgumentException("bad port range " + portMin + "-" + portMax);
        }
        if (ttlSeconds < 1) {
            throw new IllegalArgumentException("session TTL must be positive");
        }
        if (latchPackets < 1) {
            throw new IllegalArgumentException("--latch-packets must be at least 1");
        }
        if (control.isEmpty()) {
            throw new IllegalArgumentException("at least one control socket is needed");
        }
    }

    /** Defaults of rtpproxy: wildcard address, ports 35000-65000, TTL 60 s. */
    public static RtpProxyOptions defaults(ControlSocket control) {
        return new RtpProxyOptions(List.of(), List.of(), DEFAULT_PORT_MIN, DEFAULT_PORT_MAX, List.of(control),
                DEFAULT_TTL, null);
    }

    public RtpProxyOptions withListen(String spec) {
        return new RtpProxyOptions(parseAddresses(spec), advertised, portMin, portMax, control, ttlSeconds, logLevel, latchPackets);
    }

    public RtpProxyOptions withAdvertised(String spec) {
        return new RtpProxyOptions(listen, splitPair(spec), portMin, portMax, control, ttlSeconds, logLevel, latchPackets);
    }

    public RtpProxyOptions withPorts(int min, int max) {
        return new RtpProxyOptions(listen, advertised, min, max, control, ttlSeconds, logLevel, latchPackets);
    }

    public RtpProxyOptions withTtl(int seconds) {
        return new RtpProxyOptions(listen, advertised, portMin, portMax, control, seconds, logLevel, latchPackets);
    }

    public RtpProxyOptions withLatchPackets(int n) {
        return new RtpProxyOptions(listen, advertised, portMin, portMax, control, ttlSeconds, logLevel, n);
    }

    public boolean bridgeMode() {
        return listen.size() == 2;
    }

    /** {@code ADDR} or {@code INT/EXT}; each must be a numeric IPv4/IPv6 address. */
    public static List<InetAddress> parseAddresses(String spec) {
        List<InetAddress> out = new ArrayList<>();
        for (String part : splitPair(spec)) {
            byte[] raw = NetUtil.createByteArrayFromIpAddressString(part);
            if (raw == null) {
                throw new IllegalArgumentException("not a numeric IP address: " + part);
            }
            try {
                out.add(InetAddress.getByAddress(raw));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("bad address " + part, e);
            }
        }
        return out;
    }

    private static List<String> splitPair(String spec) {
        String s = spec.trim();
        int slash = s.indexOf('/');
        List<String> parts = slash < 0 ? List.of(s) : List.of(s.substring(0, slash).trim(), s.substring(slash + 1).trim());
        for (String p : parts) {
            if (p.isEmpty()) {
                throw new IllegalArgumentException("empty address in '" + spec + "'");
            }
        }
        return parts;
    }
}
