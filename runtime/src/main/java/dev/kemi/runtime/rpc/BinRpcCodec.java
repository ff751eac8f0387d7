package dev.kemi.runtime.rpc;

import dev.kemi.runtime.core.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ctl module's BINRPC service: one request packet in, one reply or fault packet out. */
public final class BinRpcCodec implements ControlServer.Codec {
    private static final Logger log = LoggerFactory.getLogger(BinRpcCodec.class);
    private final RateLimitedLog failures = new RateLimitedLog(log);
    private final java.util.function.Supplier<RpcRegistry> registry;
    private final int maxBody;
    /** kamcmd's own reply buffer; requests are far smaller. */
    private static final int MAX_REQUEST = 65536;

    /**
     * @param registry read at each request (a proxy builds it once every module has initialised)
     * @param maxBody largest reply body (ctl's binrpc_max_body_size, in bytes) */
    public BinRpcCodec(java.util.function.Supplier<RpcRegistry> registry, int maxBody) {
        this.registry = registry;
        this.maxBody = maxBody;
    }

    @Override
    public int frameLength(byte[] buf, int off, int len) {
        return BinRpc.packetLength(buf, off, len);
    }

    @Override
    public int maxRequest() {
        return MAX_REQUEST;
    }

    @Override
    public byte[] handle(byte[] request) {
        BinRpc.Request req;
        try {
            req = BinRpc.decodeRequest(request, 0, request.length);
        } catch (IllegalArgumentException e) {
            return BinRpc.fault(0, 400, "bad request: " + e.getMessage());
        }
        try {
            byte[] reply = BinRpc.reply(req.cookie(), registry.get().call(req.method(), req.params()));
            if (reply.length > maxBody) {
                return BinRpc.fault(req.cookie(), 500, "Internal server error: reply too big (binrpc_max_body_size " + maxBody + ")");
            }
            return reply;
        } catch (RpcException e) {
            return BinRpc.fault(req.cookie(), e.code(), e.getMessage());
        } catch (RuntimeException e) {
            // a bug in a command: the client gets a fault, the log the stack
            failures.error(req.method(), "RPC " + req.method() + " failed: " + e, e);
            return BinRpc.fault(req.cookie(), 500, "internal server error");
        }
    }
}
