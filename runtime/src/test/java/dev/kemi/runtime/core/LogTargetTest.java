package dev.kemi.runtime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** log_stderror=no sends the log to the syslog socket in syslog(3)'s format, facility from log_facility. */
class LogTargetTest {
    private EventLoopGroup loop;
    private Channel receiver;
    private final BlockingQueue<String> datagrams = new LinkedBlockingQueue<>();

    @AfterEach
    void restoreLogging() throws Exception {
        LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
        lc.reset();
        new ContextInitializer(lc).autoConfig();
        if (receiver != null) receiver.close().sync();
        if (loop != null) loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private Path listen() throws Exception {
        Path sock = Files.createTempDirectory("kemi-syslog").resolve("log");
        loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        receiver = new Bootstrap().group(loop).channel(EpollDomainDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket p) {
                        datagrams.add(p.content().toString(StandardCharsets.UTF_8));
                    }
                }).bind(new DomainSocketAddress(sock.toString())).sync().channel();
        return sock;
    }

    private String next() throws InterruptedException {
        String d = datagrams.poll(10, TimeUnit.SECONDS);
        assertNotNull(d, "no datagram on the syslog socket");
        return d;
    }

    @Test
    void linesGoToTheSyslogSocketWithFacilityAndIdent() throws Exception {
        Path sock = listen();
        StringWriter err = new StringWriter();
        assertTrue(LogTarget.apply(false, "LOG_LOCAL0", "\"kamailio\"", sock, new PrintWriter(err, true)));
        LoggerFactory.getLogger("dev.kemi.runtime.core.Probe").warn("hello syslog");
        String d = next();
        long pid = ProcessHandle.current().pid();
        // LOG_LOCAL0 (16) * 8 + warning (4)
        assertTrue(d.matches("<132>[A-Z][a-z]{2} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d kamailio\\[" + pid + "\\]: WARN: <Probe> \\[[^]]+\\]: hello syslog"), d);
        assertEquals("", err.toString());

        // acc's lines carry acc's own facility
        MDC.put("syslog_facility", "LOG_LOCAL1");
        try {
            LoggerFactory.getLogger("dev.kemi.runtime.core.Probe").info("acc line");
        } finally {
            MDC.remove("syslog_facility");
        }
        assertTrue(next().startsWith("<142>"), "LOG_LOCAL1 (17) * 8 + info (6)");
    }

    @Test
    void withoutASyslogSocketTheLogStaysOnStderrWithOneWarning() throws Exception {
        StringWriter err = new StringWriter();
        Path missing = Files.createTempDirectory("kemi-syslog").resolve("log");
        assertFalse(LogTarget.apply(false, null, null, missing, new PrintWriter(err, true)));
        assertTrue(err.toString().startsWith("warning: log_stderror=no but there is no syslog socket " + missing), err.toString());
    }

    @Test
    void dashEOrLogStderrorYesKeepStderr() throws Exception {
        Path sock = listen();
        StringWriter err = new StringWriter();
        assertFalse(LogTarget.apply(true, "LOG_LOCAL0", null, sock, new PrintWriter(err, true)));
        LoggerFactory.getLogger("dev.kemi.runtime.core.Probe").warn("to stderr");
        assertEquals(null, datagrams.poll(300, TimeUnit.MILLISECONDS));
    }
}
