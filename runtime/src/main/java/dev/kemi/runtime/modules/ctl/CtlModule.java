package dev.kemi.runtime.modules.ctl;

import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.rpc.BinRpcCodec;
import dev.kemi.runtime.rpc.ControlAddress;
import dev.kemi.runtime.rpc.ControlServer;
import dev.kemi.runtime.rpc.RuntimeDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Kamailio's ctl: BINRPC (what kamcmd speaks) on {@code unix:RUNTIME_DIR/kamailio_ctl}, mode
 * 0600, unless "binrpc" names other sockets. Kamailio's old FIFO protocol ("fifo") is not offered:
 * jsonrpcs has the FIFO.
 */
@Module(value = "ctl", loadName = "ctl")
public final class CtlModule implements RuntimeModule {
    private final List<String> sockets = new ArrayList<>();
    private final List<ControlServer> servers = new ArrayList<>();
    private int mode = 0600;
    private String user;
    private String group;
    private int maxBodyKb = 32;

    @Param("binrpc")
    public void binrpc(String spec) {
        ControlAddress.parse(spec, java.nio.file.Path.of("/")); // syntax check at load; resolved at init
        sockets.add(spec);
    }

    @Param("mode")
    public void mode(int v) {
        if (v < 0 || v > 07777) throw new IllegalArgumentException("mode must be a file mode such as 0600");
        mode = v;
    }

    @Param("user")
    public void user(String v) {
        user = v;
    }

    @Param("group")
    public void group(String v) {
        group = v;
    }

    /** In KB, as Kamailio (0 or less means 4). */
    @Param("binrpc_max_body_size")
    public void binrpcMaxBodySize(int kb) {
        maxBodyKb = kb <= 0 ? 4 : kb;
    }

    @Override
    public void init(ProxyServices services) {
        var dir = RuntimeDir.of(services);
        List<String> specs = sockets.isEmpty() ? List.of("unixs:" + dir.resolve("kamailio_ctl")) : sockets;
        BinRpcCodec codec = new BinRpcCodec(services::rpc, maxBodyKb * 1024);
        try {
            for (String s : specs) {
                servers.add(ControlServer.bind(ControlAddress.parse(s, dir), codec, mode, user, group, "ctl"));
            }
        } catch (IOException e) {
            shutdown();
            throw new UncheckedIOException("ctl: " + e.getMessage(), e);
        }
    }

    /** Where it listens, for the startup banner. */
    public List<ControlAddress> addresses() {
        return servers.stream().map(ControlServer::address).toList();
    }

    @Override
    public void shutdown() {
        servers.forEach(ControlServer::close);
        servers.clear();
    }
}
