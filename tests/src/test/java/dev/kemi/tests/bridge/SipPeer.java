package dev.kemi.tests.bridge;

import dev.kemi.tests.SipWire;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/** A SIP user agent's UDP socket on a chosen loopback address: sends text, awaits messages by what they are. */
public final class SipPeer implements AutoCloseable {

    /** Generous: the machine running the tests may be busy. */
    static final Duration WAIT = Duration.ofSeconds(10);

    /** A received message and the address it came from. */
    public record Received(SipWire msg, InetSocketAddress source) { }

    private final DatagramSocket socket;
    private final List<Received> pending = new ArrayList<>();

    public SipPeer(String host) {
        try {
            socket = new DatagramSocket(new InetSocketAddress(host, 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String host() {
        return socket.getLocalAddress().getHostAddress();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public void send(String message, SocketAddress to) {
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        try {
            socket.send(new DatagramPacket(b, b.length, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The first message matching {@code wanted}, received earlier or within {@link #WAIT}. Others
     * (100 Trying, retransmissions, messages of other calls, one still to be awaited) are kept
     * for later awaits, so the order in which independent messages arrive does not matter.
     */
    public Received await(String what, Predicate<SipWire> wanted) {
        Received r = awaitWithin(WAIT, wanted);
        if (r == null) {
            throw new AssertionError(host() + ":" + port() + " got no " + what + " within " + WAIT
                    + "; other messages: " + pending.stream().map(p -> p.msg().firstLine()).toList());
        }
        return r;
    }

    /** Whether a request of that method in that call came (or comes within the time). */
    public boolean poll(String callId, String method, Duration within) {
        return awaitWithin(within, m -> !m.isResponse() && m.method().equals(method)
                && callId.equals(m.header("call-id"))) != null;
    }

    private Received awaitWithin(Duration within, Predicate<SipWire> wanted) {
        for (Iterator<Received> it = pending.iterator(); it.hasNext(); ) {
            Received r = it.next();
            if (wanted.test(r.msg())) {
                it.remove();
                return r;
            }
        }
        long deadline = System.nanoTime() + within.toNanos();
        byte[] buf = new byte[65535];
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return null;
            }
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.setSoTimeout((int) left);
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Received r = new Received(SipWire.parse(new String(buf, 0, p.getLength(), StandardCharsets.UTF_8)),
                    (InetSocketAddress) p.getSocketAddress());
            if (wanted.test(r.msg())) {
                return r;
            }
            pending.add(r);
        }
    }

    /** A request of that method in that call. */
    public Received awaitRequest(String callId, String method) {
        return await(method + " of " + callId, m -> !m.isResponse() && m.method().equals(method)
                && callId.equals(m.header("call-id")));
    }

    /** A response with that status to a request of that method in that call. */
    public Received awaitResponse(String callId, int status, String method) {
        return await(status + " to " + method + " of " + callId, m -> m.isResponse() && m.status() == status
                && m.header("cseq").endsWith(" " + method) && callId.equals(m.header("call-id")));
    }

    @Override
    public void close() {
        socket.close();
    }
}
