package dev.kemi.bench;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop UDP load: OPTIONS to the proxy from several sockets (several source ports, so the
 * kernel spreads them over the proxy's SO_REUSEPORT channels), each with a window of requests in
 * flight; prints answered OPTIONS per second. Run the proxy with the default route (no routing
 * blocks) and compare children=1 with children=2.
 *
 * <pre>
 * java -cp "bench/target/classes" dev.kemi.bench.UdpOptionsLoad 127.0.0.1 5060 [seconds=10] [sockets=4] [window=64]
 * </pre>
 */
public final class UdpOptionsLoad {
    private UdpOptionsLoad() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress proxy = new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1]));
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int sockets = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int window = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        LongAdder answered = new LongAdder();
        LongAdder lost = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        List<DatagramSocket> open = new ArrayList<>();
        for (int s = 0; s < sockets; s++) {
            DatagramSocket sock = new DatagramSocket(new InetSocketAddress(proxy.getAddress(), 0));
            sock.setReceiveBufferSize(1 << 20);
            sock.setSoTimeout(200);
            open.add(sock);
            Semaphore inFlight = new Semaphore(window);
            threads.add(Thread.ofPlatform().start(() -> send(sock, proxy, inFlight, running, lost, window)));
            threads.add(Thread.ofPlatform().start(() -> receive(sock, inFlight, running, answered)));
        }
        Thread.sleep(2000); // warm-up: JIT and connection-less steady state
        long start = System.nanoTime();
        long before = answered.sum();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        long count = answered.sum() - before;
        double secs = (System.nanoTime() - start) / 1e9;
        running.set(false);
        for (DatagramSocket s : open) s.close();
        for (Thread t : threads) t.join();
        System.out.printf("%d sockets, window %d: %.0f OPTIONS/s answered (%d in %.1f s), %d timed-out windows%n",
                sockets, window, count / secs, count, secs, lost.sum());
    }

    private static void send(DatagramSocket sock, InetSocketAddress proxy, Semaphore inFlight, AtomicBoolean running,
                             LongAdder lost, int window) {
        long n = 0;
        String local = sock.getLocalAddress().getHostAddress() + ":" + sock.getLocalPort();
        try {
            while (running.get()) {
                if (!inFlight.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                    lost.increment(); // answers lost: start the window over
                    inFlight.release(window - inFlight.availablePermits());
                    continue;
                }
                byte[] m = options(proxy, local, n++).getBytes(StandardCharsets.US_ASCII);
                sock.send(new DatagramPacket(m, m.length, proxy));
            }
        } catch (IOException | InterruptedException e) {
            // socket closed at the end of the run
        }
    }

    private static void receive(DatagramSocket sock, Semaphore inFlight, AtomicBoolean running, LongAdder answered) {
        byte[] buf = new byte[4096];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (running.get()) {
            try {
                sock.receive(p);
                if (p.getLength() > 12 && buf[8] == '2' && buf[9] == '0' && buf[10] == '0') answered.increment();
                inFlight.release();
            } catch (SocketTimeoutException e) {
                // nothing this time; check running
            } catch (IOException e) {
                return;
            }
        }
    }

    private static String options(InetSocketAddress proxy, String local, long n) {
        String target = "sip:" + proxy.getAddress().getHostAddress() + ":" + proxy.getPort();
        return "OPTIONS " + target + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + local + ";branch=z9hG4bK-" + n + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:load@" + local + ">;tag=" + n + "\r\n"
                + "To: <" + target + ">\r\n"
                + "Call-ID: " + n + "-" + local + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
    }
}
