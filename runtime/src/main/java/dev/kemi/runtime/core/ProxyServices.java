package dev.kemi.runtime.core;

import dev.kemi.runtime.stats.Statistics;
import dev.kemi.api.FunctionTable;
import dev.kemi.api.RoutingScript;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.SipSender;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/** What modules get from the running proxy. */
public interface ProxyServices {
    SipSender sender();

    /** All local sockets, in listen= order. */
    List<ListenSocket> sockets();

    /** check_self: host/IP and port (0 = any) and protocol (null = any) is one of ours or an alias. */
    boolean isMyself(String host, int port, dev.kemi.runtime.transport.Protocol proto);

    /** The socket to send from for a destination protocol and address family (mhomed-lite). */
    ListenSocket socketFor(dev.kemi.runtime.transport.Protocol proto, java.net.InetAddress peer);

    /**
     * mhomed=1: the socket of that protocol on the local address the kernel routes from to peer
     * (Kamailio's get_out_socket); null when mhomed is off or no socket has that address.
     */
    default ListenSocket routedSocket(dev.kemi.runtime.transport.Protocol proto, java.net.InetAddress peer) {
        return null;
    }

    /** The current routing script (changes on reload). */
    RoutingScript script();

    FunctionTable functions();

    /** Runs work (timer expiries, async results) on the worker that owns this key (e.g. a Call-ID). */
    void runOnWorker(String key, Runnable task);

    /** Timers for tm and the like; tasks must hand real work to a worker via runOnWorker. */
    ScheduledExecutorService timers();

    /** Timers that run their task on the worker owning a key (tm's retransmission, fr, lifetime and wait timers). */
    default WorkerTimers workerTimers() {
        return WorkerTimers.over(this);
    }

    /** Global parameter value from the cfg (e.g. "server_header"), or null. */
    String globalParam(String name);

    /** The global force_rport (yes/on/true or non-zero): every request is handled as after force_rport(). */
    default boolean forceRport() {
        String v = globalParam("force_rport");
        if (v == null) return false;
        v = v.strip().toLowerCase(java.util.Locale.ROOT);
        return !v.isEmpty() && !java.util.Set.of("no", "off", "false", "disable", "0").contains(v);
    }

    /** The cfg's #!define names to their values as written ("" for none): KSR.kx.get_def. */
    default java.util.Map<String, String> cfgDefines() {
        return java.util.Map.of();
    }

    /** This proxy's RPC commands (Kamailio's names), for the ctl and jsonrpcs transports. */
    default dev.kemi.runtime.rpc.RpcRegistry rpc() {
        throw new IllegalStateException("this proxy has no RPC registry");
    }

    /** The tls module installs TLS on the transport's tls: sockets and TLS sends at init. */
    default void useTls(dev.kemi.runtime.transport.tls.TlsChannels tls) {
        throw new IllegalStateException("this proxy has no TLS transport");
    }

    /** This proxy's statistics (counters and gauges by group:name). */
    Statistics statistics();

    /**
     * Another module's typed API (Kamailio's load_tm_api / bind_usrloc role): the loaded module
     * instance that implements it.
     *
     * @param requester the asking module's name, for the error
     * @param provider the module that provides the API, for the error
     * @throws IllegalStateException naming both modules when the provider is not loaded
     */
    default <T> T api(Class<T> api, String requester, String provider) {
        return optionalApi(api).orElseThrow(() -> new IllegalStateException(
                "module " + requester + " needs module " + provider + ": add loadmodule \"" + provider + ".so\""));
    }

    /** Another module's API when that module is loaded (e.g. sl replying statefully through tm). */
    default <T> java.util.Optional<T> optionalApi(Class<T> api) {
        FunctionTable table = functions();
        return java.util.Optional.ofNullable(table == null ? null : table.module(api));
    }
}
