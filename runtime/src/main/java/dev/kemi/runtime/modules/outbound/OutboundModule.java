package dev.kemi.runtime.modules.outbound;

import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.modules.cfg.CfgFramework;
import dev.kemi.runtime.transport.ReceiveInfo;
import java.security.SecureRandom;

/**
 * RFC 5626 client-initiated connections, as Kamailio 5.6.3's outbound module: no script
 * functions, an API rr (Record-Route user part, loose_route to the flow) and path (Path user
 * part and ;ob) use. The flow-token key is 20 random bytes per start, or SHA-1 of
 * flow_token_secret so that tokens survive a restart and several edge proxies share them.
 */
@Module(value = "outbound", loadName = "outbound")
public final class OutboundModule implements OutboundApi, RuntimeModule {
    private static final int KEY_LENGTH = 20;

    int forceFlag = -1;
    int forceNoFlag = -1;
    private String secret;
    private FlowToken tokens;

    @Param("force_outbound_flag")
    public void forceOutboundFlag(int v) {
        if (v != -1 && (v < 0 || v > 31)) throw new IllegalArgumentException("bad force_outbound_flag value (" + v + ")");
        forceFlag = v;
    }

    @Param("force_no_outbound_flag")
    public void forceNoOutboundFlag(int v) {
        if (v != -1 && (v < 0 || v > 31)) throw new IllegalArgumentException("bad no_outbound_flag value (" + v + ")");
        forceNoFlag = v;
    }

    @Param("flow_token_secret")
    public void flowTokenSecret(String v) { secret = v; }

    @Override
    public void init(ProxyServices services) {
        byte[] key;
        if (secret != null) {
            key = FlowToken.keyOfSecret(secret);
        } else {
            key = new byte[KEY_LENGTH];
            new SecureRandom().nextBytes(key);
        }
        tokens = new FlowToken(key);
        services.optionalApi(CfgFramework.class).ifPresent(cfg ->
                cfg.declare("outbound", "outbound_enabled", 1, "1 when Outbound (RFC 5626) is enabled (read-only)"));
    }

    @Override
    public String encodeFlowToken(ReceiveInfo r) {
        return tokens.encode(new Flow(r.socket().proto(), r.socket().address(), r.source()));
    }

    /** The flow decoded for one message (Kamailio's msg->ldv.flow). */
    private record Decoded(Flow flow) {}

    @Override
    public Flow decodeFlowToken(MessageContext ctx, String token) throws FlowToken.Broken {
        Decoded d = ctx.attachment(Decoded.class);
        if (d != null) return d.flow;
        Flow f = tokens.decode(token);
        if (f != null) ctx.attach(Decoded.class, new Decoded(f));
        return f;
    }

    @Override
    public int useOutbound(MessageContext ctx) {
        return UseOutbound.of(ctx, this);
    }
}
