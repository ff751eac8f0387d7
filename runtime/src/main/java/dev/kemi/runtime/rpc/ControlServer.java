package dev.kemi.runtime.rpc;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One control socket (unix stream or datagram, TCP, UDP) answering requests with a {@link Codec}:
 * BINRPC for ctl, JSON for the jsonrpcs datagram socket. Requests run one at a time on a command
 * thread, off the event loop (a reload compiles a script). Unix stream socket files get their mode and
 * owner before they appear under their name (see {@link SocketFiles}).
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);

    /** The protocol spoken on the socket. */
    public interface Codec {
        /** Length of the request at buf[off], -1 when more bytes are needed (streams only). */
        int frameLength(byte[] buf, int off, int len);

        /** The reply to one request, or null for none. */
        byte[] handle(byte[] request);

        /** Largest request accepted. */
        default int maxRequest() {
            return 1 << 20;
        }
    }

    private final ControlAddress address;
    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final ExecutorService commands;
    private final Codec codec;
    private Channel channel;

    private ControlServer(ControlAddress address, Codec codec, String threadName) {
        this.address = address;
        this.codec = codec;
        this.commands = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Binds and publishes the socket.
     *
     * @param mode  unix sockets: file mode (e.g. 0600)
     * @param user  unix sockets: owner, null to keep
     * @param group unix sockets: group, null to keep
     * @throws IOException when it cannot be bound, naming the address
     */
    public static ControlServer bind(ControlAddress address, Codec codec, int mode, String user, String group, String threadName)
            throws IOException {
        ControlServer s = new ControlServer(address, codec, threadName);
        try {
            s.start(mode, user, group);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        return s;
    }

    public ControlAddress address() {
        return address;
    }

    private void start(int mode, String user, String group) throws IOException {
        Path staged = null;
        SocketAddress bindTo;
        if (address.path() != null) {
            Path dir = address.path().toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) throw new IOException("no directory " + dir);
            SocketFiles.clear(address.path());
            // a datagram socket answers from its bound name, so it is bound in place (and its mode set
            // right after, as Kamailio does); a stream socket is bound aside and renamed into place
            staged = address.kind() == ControlAddress.Kind.UNIX_DGRAM ? address.path() : SocketFiles.staging(address.path());
            bindTo = new DomainSocketAddress(staged.toString());
        } else {
            bindTo = address.inet();
        }
        try {
            channel = switch (address.kind()) {
                case UNIX_STREAM, TCP -> new ServerBootstrap().group(loop)
                        .channel(address.kind() == ControlAddress.Kind.TCP ? EpollServerSocketChannel.class : EpollServerDomainSocketChannel.class)
                        .childHandler(new ChannelInitializer<>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline().addLast(new Framer(), new StreamHandler());
                            }
                        })
                        .bind(bindTo).sync().channel();
                case UNIX_DGRAM -> new Bootstrap().group(loop).channel(EpollDomainDatagramChannel.class)
                        .handler(new DomainDatagramHandler()).bind(bindTo).sync().channel();
                case UDP -> new Bootstrap().group(loop).channel(EpollDatagramChannel.class)
                        .handler(new InetDatagramHandler()).bind(bindTo).sync().channel();
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (Exception e) { // Netty rethrows bind failures undeclared
            if (e instanceof IOException io) throw io;
            if (e instanceof RuntimeException re) throw re;
            throw new IOException(e.getMessage(), e);
        }
        if (staged != null) SocketFiles.publish(staged, address.path(), mode, user, group);
    }

    @Override
    public void close() {
        if (channel != null) channel.close().syncUninterruptibly();
        loop.shutdownGracefully();
        commands.shutdownNow();
        if (address.path() != null) {
            try {
                SocketFiles.clear(address.path());
            } catch (IOException e) {
                log.debug("removing {}: {}", address.path(), e.toString());
            }
        }
    }

    /** Cuts the stream into requests with the codec's framing. */
    private final class Framer extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            byte[] buf = ByteBufUtil.getBytes(in, in.readerIndex(), in.readableBytes(), false);
            int n = codec.frameLength(buf, 0, buf.length);
            if (n < 0) {
                if (buf.length > codec.maxRequest()) throw new IllegalArgumentException("request too long");
                return;
            }
            if (n > codec.maxRequest()) throw new IllegalArgumentException("request too long");
            if (n > buf.length) return;
            byte[] req = new byte[n];
            in.readBytes(req);
            out.add(req);
        }
    }

    private final class StreamHandler extends SimpleChannelInboundHandler<byte[]> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, byte[] req) {
            commands.execute(() -> {
                byte[] reply = codec.handle(req);
                if (reply != null) ctx.writeAndFlush(Unpooled.wrappedBuffer(reply));
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("{}: closing a control connection: {}", address, cause.toString());
            ctx.close();
        }
    }

    private final class DomainDatagramHandler extends SimpleChannelInboundHandler<DomainDatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket p) {
            byte[] req = ByteBufUtil.getBytes(p.content());
            DomainSocketAddress sender = p.sender();
            commands.execute(() -> {
                byte[] reply = codec.handle(req);
                if (reply != null && sender != null && !sender.path().isEmpty()) {
                    ctx.writeAndFlush(new DomainDatagramPacket(Unpooled.wrappedBuffer(reply), sender));
                }
            });
        }
    }

    private final class InetDatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            byte[] req = ByteBufUtil.getBytes(p.content());
            var sender = p.sender();
            commands.execute(() -> {
                byte[] reply = codec.handle(req);
                if (reply != null) ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(reply), sender));
            });
        }
    }
}
