package dev.kemi.bench;

import dev.kemi.runtime.rtpproxy.ControlSocket;
import dev.kemi.runtime.rtpproxy.RtpProxyOptions;
import dev.kemi.runtime.rtpproxy.RtpProxyServer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Media relay throughput and added latency: N calls set up over the control protocol (U/L),
 * then RTP-sized datagrams (172 bytes, G.711/20 ms) from every caller through the relay to its
 * callee, timestamped to measure the one-way latency. {@code --rate 0} sends as fast as the
 * relay drains (bounded in-flight window); {@code --direct} skips the relay for a baseline.
 *
 * <pre>java -cp bench/target/classes:bench/target/lib/* dev.kemi.bench.RtpRelayBench
 *      [--streams 100] [--seconds 10] [--rate 0|pps] [--window 512] [--direct] [--control host:port]</pre>
 */
public final class RtpRelayBench {

    private static final int PAYLOAD = 172;
    /** Latency histogram: 1 µs buckets up to 100 ms. */
    private static final int BUCKETS = 100_000;

    private int streams = 100;
    private int seconds = 10;
    private int rate;
    private int window = 512;
    private boolean direct;
    private InetSocketAddress externalControl;

    public static void main(String[] args) throws Exception {
        RtpRelayBench b = new RtpRelayBench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--streams" -> b.streams = Integer.parseInt(args[++i]);
                case "--seconds" -> b.seconds = Integer.parseInt(args[++i]);
                case "--rate" -> b.rate = Integer.parseInt(args[++i]);
                case "--window" -> b.window = Integer.parseInt(args[++i]);
                case "--direct" -> b.direct = true;
                case "--control" -> {
                    String[] hp = args[++i].split(":");
                    b.externalControl = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        b.run();
    }

    private record Stream(DatagramChannel caller, DatagramChannel callee, InetSocketAddress target) { }

    private void run() throws Exception {
        RtpProxyServer relay = null;
        InetSocketAddress control = externalControl;
        if (control == null && !direct) {
            int base = 20000 + 2 * ThreadLocalRandom.current().nextInt(5000);
            relay = new RtpProxyServer(RtpProxyOptions.defaults(ControlSocket.udp("127.0.0.1", 0))
                    .withListen("127.0.0.1").withPorts(base, base + 4 * streams + 400));
            relay.start();
            control = relay.udpControlAddresses().getFirst();
        }
        List<Stream> calls = new ArrayList<>();
        try (DatagramSocket ctl = new DatagramSocket(); Selector selector = Selector.open()) {
            ctl.setSoTimeout(2000);
            for (int i = 0; i < streams; i++) {
                DatagramChannel caller = open();
                DatagramChannel callee = open();
                InetSocketAddress target;
                if (direct) {
                    target = (InetSocketAddress) callee.getLocalAddress();
                } else {
                    String callId = "bench-" + i;
                    int calleePort = ((InetSocketAddress) callee.getLocalAddress()).getPort();
                    int callerPort = ((InetSocketAddress) caller.getLocalAddress()).getPort();
                    command(ctl, control, "U " + callId + " 127.0.0.1 " + callerPort + " f" + i + ";1");
                    String l = command(ctl, control, "L " + callId + " 127.0.0.1 " + calleePort + " f" + i + ";1 t" + i + ";1");
                    target = new InetSocketAddress("127.0.0.1", Integer.parseInt(l.split(" ")[0]));
                }
                callee.register(selector, SelectionKey.OP_READ);
                calls.add(new Stream(caller, callee, target));
            }
            measure(calls, selector);
        } finally {
            for (Stream s : calls) {
                s.caller.close();
                s.callee.close();
            }
            if (relay != null) {
                relay.stop();
            }
        }
    }

    private void measure(List<Stream> calls, Selector selector) throws Exception {
        AtomicLong sent = new AtomicLong();
        AtomicLong received = new AtomicLong();
        long[] histogram = new long[BUCKETS + 1];
        long windowStart = System.nanoTime() + TimeUnit.SECONDS.toNanos(2); // JIT warm-up first
        long windowEnd = windowStart + TimeUnit.SECONDS.toNanos(seconds);
        long[] sentInWindow = new long[1];

        Thread sender = Thread.ofPlatform().name("bench-sender").start(() -> {
            ByteBuffer buf = ByteBuffer.allocateDirect(PAYLOAD);
            long interval = rate > 0 ? 1_000_000_000L / rate : 0;
            long next = System.nanoTime();
            int i = 0;
            long counted = 0;
            try {
                while (true) {
                    long now = System.nanoTime();
                    if (now >= windowEnd) {
                        break;
                    }
                    if (rate > 0) {
                        if (now < next) {
                            LockSupport.parkNanos(next - now);
                            continue;
                        }
                        next += interval;
                    } else if (sent.get() - received.get() >= window) {
                        Thread.onSpinWait();
                        continue;
                    }
                    Stream s = calls.get(i);
                    i = i + 1 == calls.size() ? 0 : i + 1;
                    buf.clear();
                    long stamp = System.nanoTime();
                    buf.putLong(stamp);
                    buf.position(PAYLOAD).flip();
                    s.caller.send(buf, s.target);
                    sent.incrementAndGet();
                    if (stamp >= windowStart) {
                        counted++;
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            sentInWindow[0] = counted;
        });

        ByteBuffer in = ByteBuffer.allocateDirect(2048);
        long got = 0;
        // packets sent in the window, received until 500 ms after it
        while (System.nanoTime() < windowEnd + TimeUnit.MILLISECONDS.toNanos(500)) {
            if (selector.select(50) == 0) {
                continue;
            }
            for (SelectionKey key : selector.selectedKeys()) {
                DatagramChannel ch = (DatagramChannel) key.channel();
                while (true) {
                    in.clear();
                    if (ch.receive(in) == null) {
                        break;
                    }
                    long stamp = in.getLong(0);
                    received.incrementAndGet();
                    if (stamp >= windowStart && stamp < windowEnd) {
                        long latency = (System.nanoTime() - stamp) / 1000;
                        histogram[(int) Math.min(latency, BUCKETS)]++;
                        got++;
                    }
                }
            }
            selector.selectedKeys().clear();
        }
        sender.join();
        long sentCount = sentInWindow[0];
        System.out.printf("mode=%s streams=%d rate=%s payload=%dB seconds=%d%n", direct ? "direct" : "relay",
                calls.size(), rate == 0 ? "max(window " + window + ")" : rate + "pps", PAYLOAD, seconds);
        System.out.printf("sent=%d received=%d loss=%.3f%% throughput=%.0f pkt/s%n", sentCount, got,
                sentCount == 0 ? 0.0 : 100.0 * (sentCount - got) / sentCount, got / (double) seconds);
        System.out.printf("one-way latency us: p50=%d p90=%d p99=%d p99.9=%d max=%s%n", percentile(histogram, 0.50),
                percentile(histogram, 0.90), percentile(histogram, 0.99), percentile(histogram, 0.999),
                max(histogram));
    }

    private static DatagramChannel open() throws IOException {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        ch.bind(new InetSocketAddress("127.0.0.1", 0));
        ch.configureBlocking(false);
        ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 1 << 20);
        return ch;
    }

    private static String command(DatagramSocket ctl, InetSocketAddress to, String command) throws IOException {
        String cookie = "b" + System.nanoTime();
        byte[] out = (cookie + " " + command).getBytes(StandardCharsets.US_ASCII);
        ctl.send(new DatagramPacket(out, out.length, to));
        byte[] buf = new byte[512];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        ctl.receive(p);
        String reply = new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII).strip();
        return reply.substring(reply.indexOf(' ') + 1);
    }

    private static long percentile(long[] histogram, double q) {
        long total = 0;
        for (long c : histogram) {
            total += c;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen >= rank && rank > 0) {
                return i;
            }
        }
        return 0;
    }

    private static String max(long[] histogram) {
        for (int i = histogram.length - 1; i >= 0; i--) {
            if (histogram[i] > 0) {
                return i == BUCKETS ? ">" + BUCKETS : Integer.toString(i);
            }
        }
        return "0";
    }
}
