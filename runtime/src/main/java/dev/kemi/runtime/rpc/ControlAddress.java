package dev.kemi.runtime.rpc;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * Where a control socket listens, as Kamailio's ctl "binrpc" parameter (and kamcmd -s) write it:
 * {@code unix:PATH} / {@code unixs:PATH} (stream), {@code unixd:PATH} (datagram), {@code tcp:HOST:PORT},
 * {@code udp:HOST:PORT}; a bare path is a unix stream socket. A relative path is under the
 * runtime directory.
 */
public record ControlAddress(Kind kind, Path path, InetSocketAddress inet) {
    public enum Kind { UNIX_STREAM, UNIX_DGRAM, TCP, UDP }

    /** @throws IllegalArgumentException for a malformed address */
    public static ControlAddress parse(String spec, Path runtimeDir) {
        String s = spec.trim();
        int colon = s.indexOf(':');
        String proto = colon < 0 ? "unix" : s.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
        String rest = colon < 0 ? s : s.substring(colon + 1);
        return switch (proto) {
            case "unix", "unixs" -> new ControlAddress(Kind.UNIX_STREAM, path(rest, runtimeDir, spec), null);
            case "unixd" -> new ControlAddress(Kind.UNIX_DGRAM, path(rest, runtimeDir, spec), null);
            case "tcp" -> new ControlAddress(Kind.TCP, null, inet(rest, spec));
            case "udp" -> new ControlAddress(Kind.UDP, null, inet(rest, spec));
            default -> colon < 0 || s.startsWith("/") ? new ControlAddress(Kind.UNIX_STREAM, path(s, runtimeDir, spec), null)
                    : fail(spec);
        };
    }

    private static ControlAddress fail(String spec) {
        throw new IllegalArgumentException("bad control socket " + spec + ": expected unix:PATH, unixd:PATH, tcp:HOST:PORT or udp:HOST:PORT");
    }

    private static Path path(String p, Path runtimeDir, String spec) {
        if (p.isEmpty()) fail(spec);
        Path path = Path.of(p);
        return path.isAbsolute() ? path : runtimeDir.resolve(path);
    }

    private static InetSocketAddress inet(String hostPort, String spec) {
        int c = hostPort.lastIndexOf(':');
        String host = c < 0 ? "127.0.0.1" : hostPort.substring(0, c);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (host.equals("*")) host = "0.0.0.0";
        try {
            int port = Integer.parseInt(hostPort.substring(c + 1));
            if (port < 1 || port > 65535) throw new NumberFormatException();
            return new InetSocketAddress(host, port);
        } catch (NumberFormatException e) {
            return fail(spec).inet();
        }
    }

    @Override
    public String toString() {
        return switch (kind) {
            case UNIX_STREAM -> "unix:" + path;
            case UNIX_DGRAM -> "unixd:" + path;
            case TCP -> "tcp:" + inet.getHostString() + ":" + inet.getPort();
            case UDP -> "udp:" + inet.getHostString() + ":" + inet.getPort();
        };
    }
}
