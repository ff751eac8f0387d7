package dev.kemi.runtime.modules.jsonrpcs;

import dev.kemi.runtime.rpc.ControlServer;
import dev.kemi.runtime.rpc.JsonRpcDispatcher;
import java.nio.charset.StandardCharsets;

/** One JSON-RPC request per datagram, the answer sent back to the sender's address. */
final class DatagramCodec implements ControlServer.Codec {
    private final JsonRpcDispatcher dispatcher;

    DatagramCodec(JsonRpcDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public int frameLength(byte[] buf, int off, int len) {
        return len; // datagrams are whole
    }

    @Override
    public byte[] handle(byte[] request) {
        String body = dispatcher.handle(new String(request, StandardCharsets.UTF_8)).body();
        return body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    }
}
