package dev.kemi.runtime.modules.rtpproxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one command to a relay and returns its reply, the way Kamailio does: over UDP with a
 * {@code "<pid>_<seq> "} cookie, {@code retries} tries of {@code timeoutSeconds} each, stale and
 * foreign replies ignored, each worker thread on its own connected socket; over a unix stream
 * socket one connection per command. A relay that does not answer is disabled for
 * {@code disableSeconds}, measured on an injectable clock.
 */
final class ControlClient {

    private static final Logger LOG = LoggerFactory.getLogger(ControlClient.class);
    private static final int MAX_REPLY = 256;
    private static final long PID = ProcessHandle.current().pid();

    /**
     * Random start, as the rtpengine client's: rtpengine's rtpproxy-compatible control socket
     * answers a repeated cookie from its reply cache (whatever port it came from), and several
     * proxies in one JVM share the pid Kamailio's cookies rely on: the second proxy's offer got
     * the first one's ports.
     */
    private final AtomicInteger sequence = new AtomicInteger(java.util.concurrent.ThreadLocalRandom.current().nextInt());
    private final ThreadLocal<Map<RtpproxyNode, UdpLink>> links = ThreadLocal.withInitial(HashMap::new);
    /** Every worker's link, for {@link #close}. */
    private final Set<UdpLink> allLinks = ConcurrentHashMap.newKeySet();
    /** Nanosecond time for rtpproxy_disable_tout (System.nanoTime, or a test's clock). */
    private final LongSupplier clock;
    volatile int timeoutSeconds = 1;
    volatile int retries = 5;
    volatile int disableSeconds = 60;

    ControlClient() {
        this(System::nanoTime);
    }

    ControlClient(LongSupplier nanoClock) {
        this.clock = nanoClock;
    }

    /** Now, in nanoseconds, on the clock that times disabled relays. */
    long now() {
        return clock.getAsLong();
    }

    /** The reply without cookie (trailing newline kept), or null after disabling the node. */
    String send(RtpproxyNode node, String command) {
        try {
            String reply = node.mode == RtpproxyNode.Mode.UNIX ? sendStream(node, command) : sendDatagram(node, command);
            if (reply != null) {
                return reply;
            }
            LOG.error("timeout waiting reply from a RTP proxy {}", node);
        } catch (IOException | RuntimeException e) {
            LOG.error("can't talk to RTP proxy {}: {}", node, e.toString());
            dropLink(node);
        }
        LOG.error("proxy <{}> does not respond, disable it", node);
        disable(node);
        return null;
    }

    void disable(RtpproxyNode node) {
        node.disabled = true;
        if (node.recheckAt != RtpproxyNode.NEVER) {
            node.recheckAt = disableSeconds < 0 ? RtpproxyNode.NEVER
                    : now() + TimeUnit.SECONDS.toNanos(disableSeconds);
        }
    }

    private String sendDatagram(RtpproxyNode node, String command) throws IOException {
        UdpLink link = links.get().get(node);
        if (link == null) {
            link = new UdpLink(node);
            links.get().put(node, link);
            allLinks.add(link);
        }
        link.drain();
        String cookie = PID + "_" + Integer.toUnsignedString(sequence.getAndIncrement());
        ByteBuffer out = StandardCharsets.US_ASCII.encode(cookie + " " + command);
        long timeoutMillis = TimeUnit.SECONDS.toMillis(Math.max(0, timeoutSeconds));
        for (int i = 0; i < retries; i++) {
            link.channel.write(out.duplicate());
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || link.selector.select(left) == 0) {
                    break;
                }
                link.selector.selectedKeys().clear();
                String reply;
                while ((reply = link.receive()) != null) {
                    if (reply.startsWith(cookie) && (reply.length() == cookie.length() || reply.charAt(cookie.length()) == ' ')) {
                        return reply.length() == cookie.length() ? "" : reply.substring(cookie.length() + 1);
                    }
                }
            }
        }
        return null;
    }

    private String sendStream(RtpproxyNode node, String command) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            ch.connect(UnixDomainSocketAddress.of(node.address));
            ByteBuffer out = StandardCharsets.US_ASCII.encode(command);
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            ByteBuffer in = ByteBuffer.allocate(MAX_REPLY);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(1, timeoutSeconds));
            // the relay writes its reply and closes; read until then (or a full buffer)
            while (in.hasRemaining()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return null;
                }
                if (selector.select(left) == 0) {
                    continue;
                }
                selector.selectedKeys().clear();
                if (ch.read(in) < 0) {
                    break;
                }
            }
            return in.position() == 0 ? null : new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
        }
    }

    private void dropLink(RtpproxyNode node) {
        UdpLink link = links.get().remove(node);
        if (link != null) {
            allLinks.remove(link);
            link.close();
        }
    }

    /** Closes every worker's control socket; when the proxy stops. */
    void close() {
        for (UdpLink link : allLinks) {
            link.close();
        }
        allLinks.clear();
    }

    /** A worker's connected UDP socket to one relay. */
    private static final class UdpLink {
        final DatagramChannel channel;
        final Selector selector;
        final ByteBuffer buffer = ByteBuffer.allocate(MAX_REPLY);

        UdpLink(RtpproxyNode node) throws IOException {
            InetSocketAddress target = resolve(node);
            channel = DatagramChannel.open(node.mode == RtpproxyNode.Mode.UDP6
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            channel.connect(target);
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        }

        /** Next datagram as text, or null when none is waiting. */
        String receive() throws IOException {
            buffer.clear();
            if (channel.receive(buffer) == null) {
                return null;
            }
            buffer.flip();
            return StandardCharsets.US_ASCII.decode(buffer).toString();
        }

        /** Replies to earlier, timed-out commands must not be taken for this one's. */
        void drain() throws IOException {
            while (receive() != null) {
                // discard
            }
        }

        void close() {
            try {
                selector.close();
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }

        private static InetSocketAddress resolve(RtpproxyNode node) {
            String a = node.address;
            String host = a;
            int port = 22222;
            if (a.startsWith("[")) {
                int close = a.indexOf(']');
                host = a.substring(1, close);
                if (close + 1 < a.length() && a.charAt(close + 1) == ':') {
                    port = Integer.parseInt(a.substring(close + 2));
                }
            } else {
                int colon = a.lastIndexOf(':');
                if (colon >= 0 && (node.mode == RtpproxyNode.Mode.UDP || a.indexOf(':') == colon)) {
                    host = a.substring(0, colon);
                    String p = a.substring(colon + 1);
                    if (!p.isEmpty()) {
                        port = Integer.parseInt(p);
                    }
                }
            }
            return new InetSocketAddress(host, port);
        }
    }
}
