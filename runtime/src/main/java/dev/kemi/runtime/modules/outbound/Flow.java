package dev.kemi.runtime.modules.outbound;

import dev.kemi.runtime.transport.Protocol;
import java.net.InetSocketAddress;

/**
 * One flow (RFC 5626 §5.2) as a flow token carries it: the transport, our socket's address
 * (where the request arrived) and the peer's (where it came from).
 */
public record Flow(Protocol proto, InetSocketAddress local, InetSocketAddress remote) {}
