package dev.kemi.runtime.modules.rtpproxy;

import java.util.Locale;

/**
 * One relay of a set ({@code udp:host[:port]}, {@code udp6:host[:port]}, {@code unix:/path}),
 * its weight, and its state: disabled until {@link #recheckAt}, and the optional capabilities
 * learnt in the handshake. State is shared by all workers, as Kamailio keeps it in shared memory.
 */
final class RtpproxyNode {

    enum Mode { UNIX, UDP, UDP6 }

    /** Disabled for good (Kamailio's RPC_MAX_RECHECK_TICKS). */
    static final long NEVER = Long.MAX_VALUE;

    final String url;
    final int weight;
    final Mode mode;
    /** host[:port] for UDP, the socket path for UNIX. */
    final String address;

    volatile boolean disabled;
    /** ControlClient.now() from which a disabled node is tested again. */
    volatile long recheckAt;
    /** VF 20071116: Z (repacketization) may be sent. */
    volatile boolean repacketizationSupported;
    /** VF 20081102: payload type lists (c) and P/S commands may be sent. */
    volatile boolean payloadListSupported;

    RtpproxyNode(String url, int weight) {
        this.url = url;
        this.weight = weight;
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("udp:")) {
            mode = Mode.UDP;
            address = url.substring(4);
        } else if (lower.startsWith("udp6:")) {
            mode = Mode.UDP6;
            address = url.substring(5);
        } else if (lower.startsWith("unix:")) {
            mode = Mode.UNIX;
            address = url.substring(5);
        } else {
            mode = Mode.UNIX; // Kamailio treats a URL without scheme as a unix socket path
            address = url;
        }
    }

    @Override
    public String toString() {
        return url;
    }
}
