package dev.kemi.runtime.compare;

import dev.kemi.engine.cfg.LoadedConfig;
import dev.kemi.runtime.boot.ProxyLoader;
import dev.kemi.runtime.core.InlineProxy;
import dev.kemi.runtime.modules.rtpproxy.RtpproxyModule;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.SipSender;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import dev.kemi.api.FunctionTable;

/**
 * Kemi Proxy itself as the proxy under test: the cfg loaded as `kemi run` loads it, processing
 * inline. A built-in media relay (rtpproxy modparam "relay") runs on real sockets, answering
 * within the message's processing; it hands out its ports in order so the SDP repeats exactly,
 * and stops with the instance, freeing its fixed control port for the next run.
 */
public final class PipelineProxyFactory implements ProxyFactory {
    @Override
    public ProxyUnderTest start(Path cfg, SipSender net, ScheduledExecutorService timers) {
        LoadedConfig lc = ProxyLoader.load(cfg, Set.of());
        for (Object m : lc.functions().modules()) {
            if (m instanceof RtpproxyModule rtp) rtp.relayPortsInOrder();
        }
        InlineProxy p = InlineProxy.start(ProxyLoader.proxyConfig(lc), net, timers);
        return new ProxyUnderTest() {
            @Override
            public List<ListenSocket> sockets() {
                return p.sockets();
            }

            @Override
            public void receive(byte[] message, InetSocketAddress from, ListenSocket at) {
                p.receive(message, from, at);
            }

            @Override
            public FunctionTable functions() {
                return lc.functions();
            }

            @Override
            public void close() {
                p.close();
            }
        };
    }
}
