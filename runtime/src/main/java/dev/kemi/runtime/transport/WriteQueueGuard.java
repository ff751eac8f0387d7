package dev.kemi.runtime.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Kamailio's async TCP write queue limits on one connection (tcp_main.c {@code _wbufq_add}): the
 * bytes not yet taken by the kernel may not pass {@code tcp_conn_wq_max} on this connection nor
 * {@code tcp_wq_max} on all together, and a queue that makes no progress for
 * {@code tcp_send_timeout} seconds is stuck. Either way the connection is closed, and the write
 * fails (counted as tcp:sendq_full or tcp:send_timeout). A peer that sends requests and never
 * reads our replies thus costs its own connection and at most one queue's worth of memory.
 * Runs on the channel's event loop, first in the pipeline so it sees every write.
 */
final class WriteQueueGuard extends ChannelDuplexHandler {
    /** What all connections of a transport share: limits, the total queued, the counters. */
    record Limits(int connWqMax, int wqMax, long sendTimeoutNanos, AtomicLong totalQueued, LongAdder sendqFull,
                  LongAdder sendTimeouts, SourceWarnings warnings) {}

    private final Limits limits;
    /** Bytes written to the channel and not yet taken by the kernel. */
    private long queued;
    /** When the queue last became non-empty or last made progress. */
    private long lastProgress;
    private boolean checkScheduled;

    WriteQueueGuard(Limits limits) {
        this.limits = limits;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise given) {
        ChannelPromise promise = given.unvoid();
        int size = msg instanceof ByteBuf b ? b.readableBytes() : 0;
        if (queued > 0 && (queued + size > limits.connWqMax() || limits.totalQueued().get() + size > limits.wqMax())) {
            limits.sendqFull().increment();
            refuse(ctx, msg, promise, "write queue full (" + queued + " bytes queued, tcp_conn_wq_max "
                    + limits.connWqMax() + ", " + limits.totalQueued().get() + " on all connections, tcp_wq_max "
                    + limits.wqMax() + ")");
            return;
        }
        long now = System.nanoTime();
        if (queued == 0) lastProgress = now;
        queued += size;
        limits.totalQueued().addAndGet(size);
        promise.addListener(f -> {
            queued -= size;
            limits.totalQueued().addAndGet(-size);
            if (f.isSuccess()) lastProgress = System.nanoTime();
        });
        if (!checkScheduled) scheduleCheck(ctx, limits.sendTimeoutNanos());
        ctx.write(msg, promise);
    }

    private void scheduleCheck(ChannelHandlerContext ctx, long delayNanos) {
        checkScheduled = true;
        ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        checkScheduled = false;
        if (queued == 0 || !ctx.channel().isOpen()) return;
        long stuck = System.nanoTime() - lastProgress;
        if (stuck < limits.sendTimeoutNanos()) {
            scheduleCheck(ctx, limits.sendTimeoutNanos() - stuck);
            return;
        }
        limits.sendTimeouts().increment();
        warn(ctx, "send timeout (" + queued + " bytes queued, no write progress for "
                + TimeUnit.NANOSECONDS.toSeconds(stuck) + " s, tcp_send_timeout)");
        ctx.channel().close();
    }

    private void refuse(ChannelHandlerContext ctx, Object msg, ChannelPromise promise, String why) {
        ReferenceCountUtil.release(msg);
        promise.tryFailure(new java.io.IOException(why));
        warn(ctx, why);
        ctx.channel().close();
    }

    private void warn(ChannelHandlerContext ctx, String why) {
        InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
        String ip = peer == null ? "?" : peer.getAddress().getHostAddress();
        limits.warnings().warn(ip, "closing TCP connection to " + peer + ": " + why);
    }
}
