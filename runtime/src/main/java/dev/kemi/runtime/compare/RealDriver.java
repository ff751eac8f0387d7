package dev.kemi.runtime.compare;

import dev.kemi.runtime.transport.Protocol;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real-sockets mode: the UAs bind real UDP/TCP sockets and talk to a proxy already running at an
 * address (Kemi Proxy or Kamailio itself), in real time. Socket threads only queue what arrives;
 * the harness thread records and handles it inside {@link #runFor}, as in virtual mode.
 */
final class RealDriver implements Driver {
    private static final Pattern LENGTH = Pattern.compile("(?im)^(?:content-length|l)\\s*:\\s*(\\d+)");

    private final InetSocketAddress proxy;
    private final BlockingQueue<Runnable> arrivals = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "compare-timer"));
    private final Map<String, InetSocketAddress> addresses = new HashMap<>();
    private final Map<String, DatagramSocket> udp = new HashMap<>();
    private final Map<String, Socket> tcpOut = new HashMap<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final long start = System.nanoTime();
    private Wire wire;

    RealDriver(InetSocketAddress proxy) {
        this.proxy = proxy;
    }

    @Override
    public void start(Scenario scenario, Wire wire) throws IOException {
        this.wire = wire;
        for (UaSpec u : scenario.uas()) {
            InetSocketAddress want = new InetSocketAddress(u.host(), u.port());
            if (u.transport() == Protocol.UDP) {
                DatagramSocket s = new DatagramSocket(want);
                closeables.add(s);
                udp.put(u.name(), s);
                addresses.put(u.name(), (InetSocketAddress) s.getLocalSocketAddress());
                reader(u.name(), () -> readUdp(u.name(), s));
            } else {
                ServerSocket ss = new ServerSocket();
                ss.bind(want);
                closeables.add(ss);
                addresses.put(u.name(), (InetSocketAddress) ss.getLocalSocketAddress());
                reader(u.name(), () -> accept(u.name(), ss));
            }
        }
    }

    private void reader(String ua, Runnable loop) {
        Thread t = daemon(loop, "compare-" + ua);
        synchronized (readers) {
            readers.add(t);
        }
        t.start();
    }

    private void readUdp(String ua, DatagramSocket s) {
        byte[] buf = new byte[65535];
        while (!s.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (IOException e) {
                return;
            }
            byte[] msg = Arrays.copyOf(p.getData(), p.getLength());
            arrived(ua, Protocol.UDP, (InetSocketAddress) p.getSocketAddress(), msg);
        }
    }

    private void accept(String ua, ServerSocket ss) {
        while (!ss.isClosed()) {
            try {
                Socket c = ss.accept();
                synchronized (closeables) {
                    closeables.add(c);
                }
                reader(ua, () -> readTcp(ua, c));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void readTcp(String ua, Socket c) {
        InetSocketAddress peer = (InetSocketAddress) c.getRemoteSocketAddress();
        try (InputStream in = c.getInputStream()) {
            while (true) {
                byte[] msg = readFrame(in);
                if (msg == null) return;
                arrived(ua, Protocol.TCP, peer, msg);
            }
        } catch (IOException e) {
            // connection closed
        }
    }

    /** One SIP message from a stream: headers up to the blank line, then Content-Length bytes. */
    static byte[] readFrame(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        int state = 0;
        while (state < 4) {
            b = in.read();
            if (b < 0) return null;
            if (head.size() == 0 && (b == '\r' || b == '\n')) continue; // keep-alive CRLFs
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : b == '\r' ? 1 : 0;
        }
        Matcher m = LENGTH.matcher(head.toString(StandardCharsets.UTF_8));
        int len = m.find() ? Integer.parseInt(m.group(1)) : 0;
        byte[] body = in.readNBytes(len);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(head.toByteArray());
        all.write(body);
        return all.toByteArray();
    }

    private void arrived(String ua, Protocol proto, InetSocketAddress from, byte[] msg) {
        // a TCP connection the proxy opened comes from an ephemeral port: name its listening socket instead
        String socket = proto == Protocol.TCP ? proxySocket(proto) : proto.lower() + ":" + from.getAddress().getHostAddress() + ":" + from.getPort();
        arrivals.add(() -> {
            if (wire.proxySent(ua, proto, addresses.get(ua), socket, msg)) wire.deliver(ua, msg);
        });
    }

    @Override
    public InetSocketAddress uaAddress(String ua) {
        return addresses.get(ua);
    }

    @Override
    public InetSocketAddress proxyAddress(Protocol proto) {
        return proxy;
    }

    @Override
    public String proxySocket(Protocol proto) {
        return proto.lower() + ":" + proxy.getAddress().getHostAddress() + ":" + proxy.getPort();
    }

    @Override
    public long nowMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Override
    public void send(String ua, Protocol proto, byte[] msg) {
        try {
            if (proto == Protocol.UDP) {
                udp.get(ua).send(new DatagramPacket(msg, msg.length, proxy));
                return;
            }
            Socket s = tcpOut.get(ua);
            if (s == null || s.isClosed()) {
                s = new Socket();
                s.connect(proxy, 2000);
                synchronized (closeables) {
                    closeables.add(s);
                }
                tcpOut.put(ua, s);
                Socket c = s;
                reader(ua, () -> readTcp(ua, c));
            }
            OutputStream out = s.getOutputStream();
            out.write(msg);
            out.flush();
        } catch (IOException e) {
            wire.note(ua + " could not send to the proxy at " + proxy + ": " + e.getMessage());
        }
    }

    @Override
    public boolean runFor(long ms, BooleanSupplier stop) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (!stop.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            Runnable r;
            try {
                r = left <= 0 ? arrivals.poll() : arrivals.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (r == null) break;
            r.run();
        }
        return stop.getAsBoolean();
    }

    @Override
    public void schedule(long delayMs, Runnable task) {
        timer.schedule(() -> arrivals.add(task), delayMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean virtual() {
        return false;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        synchronized (closeables) {
            for (AutoCloseable c : closeables) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing: nothing left to do with it
                }
            }
        }
        // a socket closed while a thread is blocked in receive is released only when that thread
        // leaves it: wait, so the next run can bind the same UA ports
        List<Thread> all;
        synchronized (readers) {
            all = List.copyOf(readers);
        }
        for (Thread t : all) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
