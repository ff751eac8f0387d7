package dev.kemi.runtime.modules.rtpengine;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one bencoded command to an rtpengine and returns the reply's bytes after the cookie, as
 * Kamailio's send_rtpp_command: a {@code "<server_id>_<pid>_<seq> "} cookie, {@code retries}
 * sends waiting {@code timeoutMillis} each, stale and foreign replies skipped; each worker thread
 * on its own connected UDP socket per instance. A worker waits at most retries x timeout.
 */
final class NgClient {

    private static final Logger LOG = LoggerFactory.getLogger(NgClient.class);
    /** Kamailio's reply buffer: 0x40000 bytes. */
    private static final int MAX_REPLY = 0x40000;
    private static final long PID = ProcessHandle.current().pid();

    /**
     * Random start: rtpengine answers a repeated cookie from its reply cache, and several proxies
     * in one JVM (tests, kemi compare) share the pid that Kamailio's cookies rely on.
     */
    private final AtomicInteger sequence = new AtomicInteger(ThreadLocalRandom.current().nextInt());
    private final ThreadLocal<Map<EngineNode, Link>> links = ThreadLocal.withInitial(HashMap::new);
    private final Set<Link> allLinks = ConcurrentHashMap.newKeySet();
    volatile int timeoutMillis = 1000;
    volatile int retries = 5;
    volatile int serverId;

    /** The reply after the cookie, or null when the instance did not answer (or could not be reached). */
    byte[] send(EngineNode node, byte[] bencoded, String command) {
        try {
            Link link = links.get().get(node);
            if (link == null) {
                link = new Link(node);
                links.get().put(node, link);
                allLinks.add(link);
            }
            link.drain();
            byte[] cookie = (serverId + "_" + PID + "_" + Integer.toUnsignedString(sequence.getAndIncrement()))
                    .getBytes(StandardCharsets.US_ASCII);
            ByteBuffer out = ByteBuffer.allocate(cookie.length + 1 + bencoded.length);
            out.put(cookie).put((byte) ' ').put(bencoded).flip();
            for (int i = 0; i < retries; i++) {
                link.channel.write(out.duplicate());
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
                while (true) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0 || link.selector.select(left) == 0) {
                        break;
                    }
                    link.selector.selectedKeys().clear();
                    ByteBuffer in;
                    while ((in = link.receive()) != null) {
                        byte[] reply = matching(in, cookie);
                        if (reply != null) {
                            return reply;
                        }
                    }
                }
            }
            LOG.error("timeout waiting reply for command \"{}\" from RTPEngine <{}>", command, node);
        } catch (IOException | RuntimeException e) {
            LOG.error("can't send command \"{}\" to RTPEngine <{}>: {}", command, node, e.toString());
            drop(node);
        }
        return null;
    }

    /** The payload after "cookie " (or empty after a bare cookie), null for another command's reply. */
    private static byte[] matching(ByteBuffer in, byte[] cookie) {
        int len = in.remaining();
        if (len < cookie.length) {
            return null;
        }
        for (int i = 0; i < cookie.length; i++) {
            if (in.get(i) != cookie[i]) {
                return null;
            }
        }
        int start = cookie.length < len ? cookie.length + 1 : cookie.length;
        byte[] out = new byte[len - start];
        in.get(start, out);
        return out;
    }

    private void drop(EngineNode node) {
        Link link = links.get().remove(node);
        if (link != null) {
            allLinks.remove(link);
            link.close();
        }
    }

    /** Closes every worker's control socket; when the proxy stops. */
    void close() {
        allLinks.forEach(Link::close);
        allLinks.clear();
    }

    /** A worker's connected UDP socket to one instance. */
    private static final class Link {
        final DatagramChannel channel;
        final Selector selector;
        final ByteBuffer buffer = ByteBuffer.allocate(MAX_REPLY);

        Link(EngineNode node) throws IOException {
            channel = DatagramChannel.open(node.ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            channel.connect(node.target);
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        }

        /** The next datagram (a view of the shared buffer), or null. */
        ByteBuffer receive() throws IOException {
            buffer.clear();
            if (channel.receive(buffer) == null) {
                return null;
            }
            return buffer.flip();
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
    }
}
