package dev.kemi.runtime.rpc;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The kamcmd side of BINRPC over a unix stream or TCP socket (`kemi rpc`, `kemi reload`). */
public final class BinRpcClient {
    private static final int MAX_REPLY = 16 << 20;
    private final ControlAddress address;

    public BinRpcClient(ControlAddress address) {
        if (address.kind() != ControlAddress.Kind.UNIX_STREAM && address.kind() != ControlAddress.Kind.TCP) {
            throw new IllegalArgumentException("only unix stream and tcp control sockets are supported here, not " + address);
        }
        this.address = address;
    }

    /**
     * Sends one command; params that look like integers go as integers, as kamcmd sends them.
     *
     * @return the reply's top-level values
     * @throws RpcException for a fault reply
     */
    public List<Object> call(String method, List<String> params) throws IOException {
        List<Object> ps = params.stream().<Object>map(p -> p.matches("-?\\d{1,9}") ? (Object) Integer.parseInt(p)
                : p.startsWith("s:") ? p.substring(2) : p).toList();
        int cookie = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        try (SocketChannel ch = address.path() != null
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open()) {
            ch.connect(address.path() != null ? UnixDomainSocketAddress.of(address.path()) : address.inet());
            ch.write(ByteBuffer.wrap(BinRpc.request(cookie, method, ps)));
            byte[] buf = new byte[4096];
            int len = 0;
            while (true) {
                int total = len == 0 ? -1 : BinRpc.packetLength(buf, 0, len);
                if (total >= 0 && len >= total) return BinRpc.decodeReply(buf, len);
                if (total > MAX_REPLY) throw new IOException("reply too long");
                if (len == buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, total));
                int n = ch.read(ByteBuffer.wrap(buf, len, buf.length - len));
                if (n < 0) throw new IOException("connection closed before the whole reply");
                len += n;
            }
        }
    }
}
