package dev.kemi.runtime.rpc;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The opt-in JSON-RPC over HTTP POST listener of `kemi run --rpc-listen` (any path, as
 * Kamailio's xhttp+jsonrpcs with "^/RPC"). Loopback only. A request carrying an Origin header
 * (a browser page) or a Host that is not a loopback name (DNS rebinding) is refused with 403;
 * with a token, a request without "Authorization: Bearer TOKEN" gets 401. Commands run off the
 * event loop: a reload compiles a script and may take a second.
 */
public final class RpcHttpServer implements AutoCloseable {
    private static final int MAX_REQUEST = 1 << 20;
    private final JsonRpcDispatcher dispatcher;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ExecutorService commands = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rpc");
        t.setDaemon(true);
        return t;
    });
    private Channel channel;

    private final String token;

    public RpcHttpServer(RpcRegistry registry) {
        this(registry, null);
    }

    /** @param token the bearer token requests must carry; null for none */
    public RpcHttpServer(RpcRegistry registry, String token) {
        this.dispatcher = new JsonRpcDispatcher(registry);
        this.token = token;
    }

    /** Binds; port 0 picks a free one (see {@link #address()}). */
    public RpcHttpServer start(InetSocketAddress bind) throws InterruptedException {
        if (bind.getAddress() == null || !bind.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the HTTP RPC listener is for local control: " + bind.getHostString() + " is not a loopback address");
        }
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST), new Handler());
                    }
                })
                .bind(bind).sync().channel();
        return this;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        if (channel != null) channel.close().syncUninterruptibly();
        group.shutdownGracefully();
        commands.shutdownNow();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (req.method() != HttpMethod.POST) {
                reply(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "POST a JSON-RPC 2.0 request\n", keepAlive);
                return;
            }
            if (req.headers().contains(HttpHeaderNames.ORIGIN) || !loopbackHost(req.headers().get(HttpHeaderNames.HOST))) {
                reply(ctx, HttpResponseStatus.FORBIDDEN, "only local clients (no Origin, a loopback Host)\n", false);
                return;
            }
            if (token != null && !tokenMatches(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
                reply(ctx, HttpResponseStatus.UNAUTHORIZED, "a bearer token is required\n", false);
                return;
            }
            String body = req.content().toString(StandardCharsets.UTF_8);
            commands.execute(() -> {
                JsonRpcDispatcher.Response r = dispatcher.handle(body);
                if (r.body() == null) reply(ctx, HttpResponseStatus.BAD_REQUEST, "not a JSON-RPC request\n", false);
                else reply(ctx, new HttpResponseStatus(r.httpCode(), r.httpReason()), r.body(), keepAlive);
            });
        }

        /** Constant-time, so the token cannot be guessed byte by byte from response times. */
        private boolean tokenMatches(String authorization) {
            return authorization != null && java.security.MessageDigest.isEqual(
                    ("Bearer " + token).getBytes(StandardCharsets.UTF_8), authorization.getBytes(StandardCharsets.UTF_8));
        }

        /** localhost, 127.x.x.x or [::1], with or without a port. */
        private static boolean loopbackHost(String host) {
            if (host == null) return false;
            String h = host.startsWith("[") ? host.substring(1, Math.max(1, host.indexOf(']'))) : host.replaceFirst(":\\d+$", "");
            return h.equalsIgnoreCase("localhost") || h.equals("::1") || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
        }

        private void reply(ChannelHandlerContext ctx, HttpResponseStatus status, String text, boolean keepAlive) {
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            HttpUtil.setContentLength(resp, resp.content().readableBytes());
            HttpUtil.setKeepAlive(resp, keepAlive);
            var f = ctx.writeAndFlush(resp);
            if (!keepAlive) f.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
