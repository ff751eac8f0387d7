package dev.kemi.runtime.rtpproxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An rtpproxy-compatible media relay: control commands over UDP (with cookies) or a unix stream
 * socket, RTP/RTCP relayed between socket pairs allocated per call. Runs standalone
 * ({@code kemi rtpproxy}) or inside the proxy.
 */
public final class RtpProxyServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RtpProxyServer.class);
    private static final long SWEEP_MILLIS = 250;

    private final RtpProxyOptions options;
    private final boolean randomPorts;
    private final NettyTransport transport = new NettyTransport();
    private final List<Channel> controlChannels = new ArrayList<>();
    private final List<InetSocketAddress> udpAddresses = new ArrayList<>();
    private final List<Path> unixPaths = new ArrayList<>();
    private EventLoopGroup group;
    private ScheduledExecutorService controlThread;
    private CommandProcessor processor;

    public RtpProxyServer(RtpProxyOptions options) {
        this(options, true);
    }

    /**
     * @param randomPorts hand out media ports from a random start in the range, as rtpproxy does;
     *                    false: from the bottom, in order, so that runs repeat exactly (kemi compare)
     */
    public RtpProxyServer(RtpProxyOptions options, boolean randomPorts) {
        this.options = options;
        this.randomPorts = randomPorts;
    }

    /** Binds the control sockets; media sockets are bound per session. */
    public synchronized void start() throws IOException {
        if (group != null) {
            throw new IllegalStateException("already started");
        }
        group = transport.newGroup(Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("rtpproxy-media", true));
        controlThread = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("rtpproxy-control", true));
        try {
            PortAllocator ports = new PortAllocator(transport, options.portMin(), options.portMax(), randomPorts);
            processor = new CommandProcessor(new RelayStats(), new BindAddresses(options.listen(), options.advertised()),
                    ports, group, options.ttlSeconds(), options.latchPackets());
            ControlService service = new ControlService(controlThread, processor);
            for (ControlSocket socket : options.control()) {
                bindControl(socket, service);
            }
            // like rtpproxy, never hand out the control port (or the one below it) as media port
            for (InetSocketAddress a : udpAddresses) {
                ports.reserve(a.getPort());
                ports.reserve(a.getPort() - 1);
            }
            controlThread.scheduleWithFixedDelay(service::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
            controlChannels.forEach(c -> c.config().setAutoRead(true));
        } catch (IOException | RuntimeException e) {
            stop();
            throw e;
        }
        LOG.info("rtpproxy relay: control {}, media on {} ports {}-{}, TTL {} s", options.control(),
                options.listen().isEmpty() ? "*" : options.listen(), options.portMin(), options.portMax(),
                options.ttlSeconds());
    }

    private void bindControl(ControlSocket socket, ControlService service) throws IOException {
        ChannelFuture bound;
        if (socket.kind() == ControlSocket.Kind.UDP) {
            InetAddress host = InetAddress.getByName(socket.host());
            bound = new Bootstrap()
                    .group(group)
                    .channelFactory(transport.datagram(host))
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new ControlHandlers.Udp(service))
                    .bind(new InetSocketAddress(host, socket.port()))
                    .awaitUninterruptibly();
        } else {
            Path path = socket.path();
            Files.deleteIfExists(path); // a stale socket file from an earlier run
            bound = new ServerBootstrap()
                    .group(group)
                    .channelFactory(transport.unixServer())
                    .option(ChannelOption.AUTO_READ, false)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new ControlHandlers.Stream(service));
                        }
                    })
                    .bind(new DomainSocketAddress(path.toFile()))
                    .awaitUninterruptibly();
            if (bound.isSuccess()) {
                unixPaths.add(path);
            }
        }
        if (!bound.isSuccess()) {
            throw new IOException("cannot bind control socket " + socket + ": " + bound.cause().getMessage(), bound.cause());
        }
        controlChannels.add(bound.channel());
        if (bound.channel().localAddress() instanceof InetSocketAddress local) {
            udpAddresses.add(local);
        }
    }

    /** The bound UDP control addresses (the real port when 0 was asked for). */
    public synchronized List<InetSocketAddress> udpControlAddresses() {
        return List.copyOf(udpAddresses);
    }

    public RtpProxyOptions options() {
        return options;
    }

    /** Closes the control sockets and every session. */
    public synchronized void stop() {
        controlChannels.forEach(c -> c.close().awaitUninterruptibly());
        controlChannels.clear();
        udpAddresses.clear();
        if (controlThread != null) {
            if (processor != null) {
                CommandProcessor p = processor;
                controlThread.execute(p::closeAll);
            }
            controlThread.shutdown();
            try {
                controlThread.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            controlThread = null;
            processor = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
            group = null;
        }
        for (Path p : unixPaths) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.debug("cannot remove {}: {}", p, e.toString());
            }
        }
        unixPaths.clear();
    }

    @Override
    public void close() {
        stop();
    }
}
