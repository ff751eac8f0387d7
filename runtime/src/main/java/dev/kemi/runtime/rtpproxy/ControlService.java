package dev.kemi.runtime.rtpproxy;

import dev.kemi.api.LogThrottle;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Serializes all control work on one thread: cookie handling and the reply cache for UDP, plain
 * commands for stream sockets, then the {@link CommandProcessor}.
 */
final class ControlService {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ControlService.class);
    private final LogThrottle sweepFailures = LogThrottle.perMinute();

    private final Executor controlThread;
    private final CommandProcessor processor;
    private final ReplyCache cache = new ReplyCache();

    ControlService(Executor controlThread, CommandProcessor processor) {
        this.controlThread = controlThread;
        this.processor = processor;
    }

    void onDatagram(Channel channel, String text, InetSocketAddress client) {
        controlThread.execute(() -> {
            String reply = answerDatagram(text, client);
            channel.writeAndFlush(new DatagramPacket(ByteBufUtil.writeAscii(channel.alloc(), reply), client));
        });
    }

    void onStreamCommand(String text, Consumer<String> replyTo) {
        controlThread.execute(() -> {
            List<String> tokens = ControlCommand.tokenize(text);
            replyTo.accept(tokens.isEmpty() ? "E" + ErrorCode.SYNTAX + "\n"
                    : processor.execute(new ControlCommand(tokens)));
        });
    }

    /** The full datagram reply: the cached one for a retransmission, else a fresh one. */
    private String answerDatagram(String text, InetSocketAddress client) {
        List<String> tokens = ControlCommand.tokenize(text);
        if (tokens.size() < 2) {
            return "E" + ErrorCode.SYNTAX + "\n";
        }
        String cookie = tokens.getFirst();
        String reply = cache.get(cookie, client);
        if (reply == null) {
            reply = processor.execute(new ControlCommand(tokens.subList(1, tokens.size())));
            cache.put(cookie, client, reply, System.nanoTime());
        }
        return cookie + " " + reply;
    }

    /** Periodic housekeeping, on the control thread; never throws, or the schedule would stop. */
    void sweep() {
        try {
            long now = System.nanoTime();
            cache.expire(now);
            processor.expire(now);
        } catch (RuntimeException e) {
            long more = sweepFailures.admit("sweep");
            if (more != LogThrottle.SUPPRESS) LOG.error("session sweep failed{}", LogThrottle.more(more), e);
        }
    }
}
