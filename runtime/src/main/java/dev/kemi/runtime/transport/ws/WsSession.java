package dev.kemi.runtime.transport.ws;

import dev.kemi.runtime.transport.Protocol;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import java.net.InetSocketAddress;

/**
 * One upgraded connection (Kamailio's ws_connection_t): its id (the TCP connection's), state,
 * when a frame last came in and whether a Ping is unanswered, for the keepalive and ws.dump.
 */
public final class WsSession {
    /** Kamailio's wsconn states, as ws.dump prints them. */
    public enum State { CONNECTING, OPEN, CLOSING }

    private final Channel channel;
    private final int id;
    private final Protocol proto;
    private final WsCounters counters;
    private volatile State state = State.OPEN;
    private volatile long lastUsed = nowSeconds();
    private volatile boolean awaitingPong;

    WsSession(Channel channel, int id, Protocol proto, WsCounters counters) {
        this.channel = channel;
        this.id = id;
        this.proto = proto;
        this.counters = counters;
    }

    public int id() {
        return id;
    }

    /** WS or WSS. */
    public Protocol proto() {
        return proto;
    }

    public InetSocketAddress remote() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    public InetSocketAddress local() {
        return (InetSocketAddress) channel.localAddress();
    }

    public State state() {
        return state;
    }

    /** Epoch seconds of the last frame received. */
    public long lastUsed() {
        return lastUsed;
    }

    public boolean awaitingPong() {
        return awaitingPong;
    }

    public boolean isActive() {
        return channel.isActive();
    }

    /** Runs once the TCP connection is closed. */
    public void onClosed(Runnable r) {
        channel.closeFuture().addListener(f -> r.run());
    }

    /** A Ping (keepalive mechanism 1, ws.ping): a Pong is then awaited. */
    public void ping(byte[] data) {
        channel.writeAndFlush(new PingWebSocketFrame(Unpooled.wrappedBuffer(data)));
        awaitingPong = true;
    }

    /** An unsolicited Pong (keepalive mechanism 2, ws.pong). */
    public void pong(byte[] data) {
        channel.writeAndFlush(new PongWebSocketFrame(Unpooled.wrappedBuffer(data)));
    }

    /**
     * Local close (ws_close, ws.close, a bad frame): a Close frame, then CLOSING until the peer's
     * Close arrives or the keepalive gives up. Already CLOSING: the connection goes now.
     */
    public void close(int status, String reason) {
        if (state == State.OPEN) {
            state = State.CLOSING;
            counters.countLocalClose();
            channel.writeAndFlush(new CloseWebSocketFrame(status, reason));
        } else {
            closeNow();
        }
    }

    /** A bad frame: Close with the status, and the TCP connection goes after it (one connection lost, counted). */
    void failFrame(int status, String reason) {
        if (state == State.OPEN) {
            state = State.CLOSING;
            counters.countLocalClose();
            channel.writeAndFlush(new CloseWebSocketFrame(status, reason)).addListener(ChannelFutureListener.CLOSE);
        } else {
            closeNow();
        }
    }

    /** The peer's Close: answered with Close and the connection closed; the answer to ours: closed. */
    void remoteClose() {
        if (state == State.OPEN) {
            state = State.CLOSING;
            counters.countRemoteClose();
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "Normal closure")).addListener(ChannelFutureListener.CLOSE);
        } else {
            closeNow();
        }
    }

    public void closeNow() {
        channel.close();
    }

    void touch() {
        lastUsed = nowSeconds();
    }

    void ponged() {
        awaitingPong = false;
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }
}
