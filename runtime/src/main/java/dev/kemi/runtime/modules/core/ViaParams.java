package dev.kemi.runtime.modules.core;

import dev.kemi.runtime.core.Globals;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.pv.XavpStore;
import java.util.List;
import java.util.Map;

/**
 * What corex asked for our Via of a relayed request: via_add_srvid (;srvid=), via_add_xavp_params
 * (the fields of the $xavp named by the core parameter xavp_via_params, as Via parameters) and
 * via_use_xavp_fields (host and port from the "address" and "port" fields of the $xavp named by
 * xavp_via_fields), as 5.6.3's msg_translator builds them.
 */
public final class ViaParams {
    public boolean srvid;
    public boolean xavpParams;
    public boolean xavpFields;

    private ViaParams() {}

    public static ViaParams of(MessageContext ctx) {
        return ctx.attachment(ViaParams.class, ViaParams::new);
    }

    /** ";srvid=N" when asked and server_id is set, then ";name=value" per xavp field when asked. */
    static String suffix(MessageContext ctx) {
        ViaParams p = ctx.attachment(ViaParams.class);
        if (p == null) return "";
        StringBuilder b = new StringBuilder();
        String id = ctx.services().globalParam("server_id");
        if (p.srvid && id != null && !id.trim().equals("0")) b.append(";srvid=").append(id.trim());
        List<Map.Entry<String, Object>> fields = p.xavpParams ? fields(ctx, "xavp_via_params") : null;
        if (fields != null) {
            // xavp_serialize_fields: ints as unsigned, an empty string as a bare name, other types skipped
            for (Map.Entry<String, Object> f : fields) {
                if (f.getValue() instanceof Integer i) b.append(';').append(f.getKey()).append('=').append(Integer.toUnsignedString(i));
                else if (f.getValue() instanceof String s) b.append(';').append(f.getKey()).append(s.isEmpty() ? "" : "=" + s);
            }
        }
        return b.toString();
    }

    /** {address, port} for our Via from xavp_via_fields (each null when not a string field), or null. */
    static String[] sentBy(MessageContext ctx) {
        ViaParams p = ctx.attachment(ViaParams.class);
        List<Map.Entry<String, Object>> fields = p != null && p.xavpFields ? fields(ctx, "xavp_via_fields") : null;
        if (fields == null) return null;
        String[] out = new String[2];
        for (Map.Entry<String, Object> f : fields) {
            if (!(f.getValue() instanceof String s)) continue;
            if (out[0] == null && f.getKey().equals("address")) out[0] = s;
            if (out[1] == null && f.getKey().equals("port")) out[1] = s;
        }
        return out;
    }

    private static List<Map.Entry<String, Object>> fields(MessageContext ctx, String param) {
        String name = ctx.services().globalParam(param);
        if (name == null || Globals.unquote(name).isEmpty()) return null;
        return XavpStore.of(ctx).xavp().fields(Globals.unquote(name));
    }
}
