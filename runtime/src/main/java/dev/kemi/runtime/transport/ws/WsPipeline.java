package dev.kemi.runtime.transport.ws;

import dev.kemi.runtime.transport.InboundSink;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import dev.kemi.runtime.transport.ReceiveInfo;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.net.InetSocketAddress;

/**
 * The handlers that make a stream connection a WebSocket one (RFC 6455 server side: masked
 * client frames, no extensions). They go after whatever sits below the SIP framing — nothing
 * for TCP, the TLS handler for TLS — so WSS is the same pipeline over TLS.
 */
public final class WsPipeline {
    private WsPipeline() {}

    /** The socket messages of an upgraded connection arrive on: the listener's, as WS (WSS over TLS). */
    public static ListenSocket socketOf(ListenSocket stream) {
        Protocol p = stream.proto() == Protocol.TLS ? Protocol.WSS : Protocol.WS;
        return new ListenSocket(p, stream.address(), stream.advertiseHost(), stream.advertisePort(), stream.name());
    }

    public static WsSession session(Channel ch, int id, ListenSocket ws, WsSettings settings) {
        return new WsSession(ch, id, ws.proto(), settings.counters());
    }

    /** Adds the WebSocket handlers at the end of the pipeline (the SIP framing must be removed after). */
    public static void install(ChannelPipeline p, WsSession session, WsSettings settings, InboundSink sink, ListenSocket ws,
                               Runnable resume) {
        WebSocketDecoderConfig cfg = WebSocketDecoderConfig.newBuilder().expectMaskedFrames(true).allowMaskMismatch(false)
                .allowExtensions(false).maxFramePayloadLength(settings.maxPayload()).closeOnProtocolViolation(false).build();
        ReceiveInfo from = new ReceiveInfo((InetSocketAddress) p.channel().remoteAddress(), ws, session.id());
        p.addLast("ws-encoder", new WebSocket13FrameEncoder(false));
        p.addLast("ws-decoder", new WebSocket13FrameDecoder(cfg));
        p.addLast("ws-aggregator", new WebSocketFrameAggregator(settings.maxPayload()));
        p.addLast("ws-sip", new WsFrameHandler(session, settings.counters(), sink, from, resume));
    }
}
