package dev.kemi.runtime.compare;

import dev.kemi.runtime.transport.SipSender;
import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;

/** Starts a fresh proxy for one configuration and one scenario run. */
@FunctionalInterface
public interface ProxyFactory {
    /**
     * @param cfg    the kamailio.cfg to load
     * @param net    where the proxy sends every message (its ProxyServices.sender())
     * @param timers its timer service (ProxyServices.timers()): a virtual clock
     */
    ProxyUnderTest start(Path cfg, SipSender net, ScheduledExecutorService timers) throws Exception;
}
