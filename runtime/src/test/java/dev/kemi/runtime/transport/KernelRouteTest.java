package dev.kemi.runtime.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class KernelRouteTest {
    @Test
    void loopbackPeersAreReachedFromLoopbackAgainAndAgain() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        // the probe socket is reused: each lookup must reconnect it
        for (String peer : new String[] {"127.0.0.2", "127.0.0.1", "127.0.0.3"}) {
            assertEquals(lo, KernelRoute.sourceFor(new InetSocketAddress(peer, 5060)), peer);
        }
    }
}
