package dev.kemi.runtime.rtpproxy;

import java.nio.file.Path;

/**
 * Where the relay listens for control commands ({@code -s}): {@code udp:host:port},
 * {@code udp:*:port}, {@code udp6:host:port} or {@code unix:/path} (rtpproxy syntax).
 */
public record ControlSocket(Kind kind, String host, int port, Path path) {

    /** rtpproxy's default control port for UDP. */
    public static final int DEFAULT_PORT = 22222;

    public enum Kind { UDP, UNIX }

    public static ControlSocket udp(String host, int port) {
        return new ControlSocket(Kind.UDP, host, port, null);
    }

    public static ControlSocket unix(Path path) {
        return new ControlSocket(Kind.UNIX, null, 0, path);
    }

    /** Parses an rtpproxy {@code -s} value; a bare path means a unix socket, as in rtpproxy. */
    public static ControlSocket parse(String spec) {
        String s = spec.trim();
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("unix:")) {
            return unix(Path.of(s.substring(5)));
        }
        boolean v6 = lower.startsWith("udp6:");
        if (!v6 && !lower.startsWith("udp:")) {
            if (s.startsWith("/")) {
                return unix(Path.of(s));
            }
            throw new IllegalArgumentException("control socket must be udp:host:port, udp6:host:port or unix:/path: " + spec);
        }
        String rest = s.substring(v6 ? 5 : 4);
        String host = rest;
        String portText = null;
        if (rest.startsWith("[")) {
            // [v6addr] or [v6addr]:port
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unterminated [ in " + spec);
            }
            host = rest.substring(1, close);
            if (close + 1 < rest.length()) {
                if (rest.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("bad control socket " + spec);
                }
                portText = rest.substring(close + 2);
            }
        } else if (rest.indexOf(':') == rest.lastIndexOf(':') && rest.indexOf(':') >= 0) {
            // host:port; an unbracketed IPv6 address (several colons) carries no port
            int colon = rest.indexOf(':');
            host = rest.substring(0, colon);
            portText = rest.substring(colon + 1);
        }
        int port = DEFAULT_PORT;
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad control port in " + spec);
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("bad control port in " + spec);
            }
        }
        if (host.isEmpty() || host.equals("*")) {
            host = v6 ? "::" : "0.0.0.0";
        }
        return udp(host, port);
    }

    @Override
    public String toString() {
        return kind == Kind.UNIX ? "unix:" + path : "udp:" + host + ":" + port;
    }
}
