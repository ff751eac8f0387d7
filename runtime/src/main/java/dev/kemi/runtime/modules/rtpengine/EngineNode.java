package dev.kemi.runtime.modules.rtpengine;

import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * One rtpengine instance of a set ({@code udp:host[:port]} or {@code udp6:[host][:port]}, port
 * 22222 by default) with its weight and its state, shared by all workers as Kamailio keeps it in
 * shared memory: disabled until {@link #recheckAt}.
 */
final class EngineNode {

    static final long NEVER = Long.MAX_VALUE;
    private static final int DEFAULT_PORT = 22222;

    final String url;
    final int weight;
    final InetSocketAddress target;
    final boolean ipv6;

    volatile boolean disabled;
    /** Clock nanos from which a disabled node is pinged again. */
    volatile long recheckAt;

    private EngineNode(String url, int weight, InetSocketAddress target, boolean ipv6) {
        this.url = url;
        this.weight = weight;
        this.target = target;
        this.ipv6 = ipv6;
    }

    /**
     * @throws IllegalArgumentException for a scheme we do not speak (unix:, ws://, wss://, none) or a bad port
     */
    static EngineNode parse(String url, int weight) {
        String lower = url.toLowerCase(Locale.ROOT);
        boolean v6;
        String address;
        if (lower.startsWith("udp:")) {
            v6 = false;
            address = url.substring(4);
        } else if (lower.startsWith("udp6:")) {
            v6 = true;
            address = url.substring(5);
        } else if (lower.startsWith("unix:") || lower.startsWith("ws://") || lower.startsWith("wss://")) {
            throw new IllegalArgumentException("rtpengine: only udp: and udp6: control sockets are supported: " + url);
        } else {
            throw new IllegalArgumentException("rtpengine: node address must start with 'udp:' or 'udp6:': " + url);
        }
        String host = address;
        String port = "";
        int colon = address.lastIndexOf(':');
        if (v6) {
            int close = address.lastIndexOf(']');
            if (colon > close && close >= 0) {
                host = address.substring(0, colon);
                port = address.substring(colon + 1);
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
        } else if (colon >= 0) {
            host = address.substring(0, colon);
            port = address.substring(colon + 1);
        }
        int p = DEFAULT_PORT;
        if (!port.isEmpty()) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 0 || p > 0xFFFF) {
                throw new IllegalArgumentException("rtpengine: node address must end with a valid port number: " + url);
            }
        }
        return new EngineNode(url, weight, new InetSocketAddress(host, p), v6);
    }

    @Override
    public String toString() {
        return url;
    }
}
