package dev.kemi.runtime.transport.tls;

import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.SourceWarnings;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.Mapping;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS layer of the transport's tls: connections: puts an SslHandler (through SNI, accepted
 * side) at the head of each connection's pipeline with the context the current {@link Contexts}
 * picks, and keeps the open TLS connections by connection id for $tls_* and tls.list. Swapping
 * the contexts (tls.reload) changes new connections only.
 */
public final class TlsChannels {
    private static final Logger log = LoggerFactory.getLogger(TlsChannels.class);
    /** One line per source now and then: a scanner's failed handshakes do not flood the log. */
    private final SourceWarnings warnings = new SourceWarnings(log);

    /** Which TLS context a connection gets: the tls module's profiles. */
    public interface Contexts {
        /** Context for a connection accepted on {@code local}, for the SNI name (null if none sent). */
        SslContext server(InetSocketAddress local, String sni);

        /** Context and SNI name (null: none) for a connection from {@code local} to {@code peer}. */
        Client client(InetSocketAddress local, InetSocketAddress peer);
    }

    public record Client(SslContext context, String serverName) {}

    /** One open TLS connection. */
    public record Connection(int id, Channel channel, ListenSocket socket, boolean accepted, long openedMillis) {
        /** The handshaken session, or null while the handshake runs. */
        public SSLSession session() {
            SslHandler h = channel.pipeline().get(SslHandler.class);
            if (h == null || !h.handshakeFuture().isSuccess()) return null;
            return h.engine().getSession();
        }

        public InetSocketAddress peer() {
            return (InetSocketAddress) channel.remoteAddress();
        }
    }

    /** An accepted connection that sends no ClientHello within this long is closed (a half-open one costs no more). */
    private static final long CLIENT_HELLO_TIMEOUT_MS = 10_000;
    private volatile Contexts contexts;
    private final ConcurrentHashMap<Integer, Connection> open = new ConcurrentHashMap<>();
    private final LongAdder handshakeFailures = new LongAdder();
    private final LongAdder plaintext = new LongAdder();
    private final LongAdder handshakes = new LongAdder();

    public TlsChannels(Contexts contexts) {
        this.contexts = contexts;
    }

    /** New connections use these from now on; open ones keep their session. */
    public void replace(Contexts next) {
        contexts = next;
    }

    public void initAccepted(Channel ch, ListenSocket socket, int id) {
        InetSocketAddress local = (InetSocketAddress) ch.localAddress();
        Contexts c = contexts;
        ch.pipeline().addFirst(new SniHandler((Mapping<String, SslContext>) sni -> c.server(local, sni), CLIENT_HELLO_TIMEOUT_MS) {
            @Override
            protected SslHandler newSslHandler(SslContext context, io.netty.buffer.ByteBufAllocator allocator) {
                return clientOrder(super.newSslHandler(context, allocator));
            }
        });
        register(ch, socket, id, true);
    }

    public void initConnected(Channel ch, ListenSocket socket, InetSocketAddress peer, int id) {
        Client c = contexts.client(socket.address(), peer);
        String host = c.serverName() != null ? c.serverName() : peer.getAddress().getHostAddress();
        ch.pipeline().addFirst(clientOrder(c.context().newHandler(ch.alloc(), host, peer.getPort())));
        register(ch, socket, id, false);
    }

    /** The client's cipher preference wins, as with OpenSSL's default (no SSL_OP_CIPHER_SERVER_PREFERENCE). */
    private static SslHandler clientOrder(SslHandler h) {
        javax.net.ssl.SSLParameters p = h.engine().getSSLParameters();
        p.setUseCipherSuitesOrder(false);
        h.engine().setSSLParameters(p);
        return h;
    }

    private void register(Channel ch, ListenSocket socket, int id, boolean accepted) {
        Connection conn = new Connection(id, ch, socket, accepted, System.currentTimeMillis());
        open.put(id, conn);
        ch.closeFuture().addListener(f -> open.remove(id, conn));
        ch.pipeline().addAfter(ch.pipeline().firstContext().name(), "tls-handshake", new HandshakeWatch());
    }

    /** The open TLS connection of that id, or null. */
    public Connection connection(int id) {
        return open.get(id);
    }

    /** Open TLS connections by id. */
    public List<Connection> connections() {
        List<Connection> out = new ArrayList<>(open.values());
        out.sort(Comparator.comparingInt(Connection::id));
        return out;
    }

    /** Handshakes completed. */
    public long handshakes() {
        return handshakes.sum();
    }

    /** Handshakes that failed (bad certificate, no common cipher, timeout, plaintext ...). */
    public long handshakeFailures() {
        return handshakeFailures.sum();
    }

    /** Of the failures: connections whose first bytes were not TLS at all. */
    public long plaintextRefused() {
        return plaintext.sum();
    }

    /** Counts handshake outcomes; a failed one costs its connection only. */
    private final class HandshakeWatch extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SniCompletionEvent e && !e.isSuccess()) {
                // no whole ClientHello within the timeout: SniHandler closes the connection
                handshakeFailures.increment();
            } else if (evt instanceof SslHandshakeCompletionEvent e) {
                if (e.isSuccess()) {
                    handshakes.increment();
                } else {
                    handshakeFailures.increment();
                    if (e.cause() instanceof NotSslRecordException) plaintext.increment();
                    InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
                    if (peer != null) warnings.warn(peer.getAddress().getHostAddress(), "TLS handshake with " + peer + " failed: " + e.cause().getMessage());
                    ctx.close();
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // decode errors of the TLS layer (a bad record, plaintext): the connection goes, nothing else
            log.debug("TLS connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
