package dev.kemi.runtime.modules.pv;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.runtime.core.MessageContext;

/** The pv module's own KEMI functions (KSR.pvx): $var, $shv and $avp shortcuts. */
@Module(value = "pvx", loadName = "pv")
public final class PvxModule {
    private final VarStore vars;
    private final SharedVars shared;

    /** With the $var and $shv of the proxy's pseudo-variables (the cfg's $var(x) is KSR.pvx.var_get("x")). */
    public PvxModule(StandardPvs pvs) {
        this.vars = pvs.vars();
        this.shared = pvs.shared();
    }

    @Export(kemiOnly = true, returns = {1})
    public int var_seti(MessageContext ctx, String name, int value) {
        vars.set(name, value);
        return 1;
    }

    @Export(kemiOnly = true, returns = {1})
    public int var_sets(MessageContext ctx, String name, String value) {
        vars.set(name, value);
        return 1;
    }

    @Export(kemiOnly = true)
    public Object var_get(MessageContext ctx, String name) { return vars.get(name); }

    @Export(kemiOnly = true, returns = {1})
    public int shv_seti(MessageContext ctx, String name, int value) {
        shared.set(name, value);
        return 1;
    }

    @Export(kemiOnly = true, returns = {1})
    public int shv_sets(MessageContext ctx, String name, String value) {
        shared.set(name, value);
        return 1;
    }

    @Export(kemiOnly = true)
    public Object shv_get(MessageContext ctx, String name) { return shared.get(name); }

    /** Adds a value on top of $avp(name). */
    @Export(kemiOnly = true, returns = {1})
    public int avp_seti(MessageContext ctx, String name, int value) {
        AvpStore.of(ctx).add(name, value);
        return 1;
    }

    @Export(kemiOnly = true, returns = {1})
    public int avp_sets(MessageContext ctx, String name, String value) {
        AvpStore.of(ctx).add(name, value);
        return 1;
    }

    @Export(kemiOnly = true)
    public Object avp_get(MessageContext ctx, String name) { return AvpStore.of(ctx).get(name, 0); }

    @Export(kemiOnly = true)
    public Object avp_gete(MessageContext ctx, String name) {
        Object v = AvpStore.of(ctx).get(name, 0);
        return v == null ? "" : v;
    }

    @Export(kemiOnly = true)
    public Object avp_getw(MessageContext ctx, String name) {
        Object v = AvpStore.of(ctx).get(name, 0);
        return v == null ? "<null>" : v;
    }

    /** Removes every value of $avp(name). */
    @Export(kemiOnly = true, returns = {1})
    public int avp_rm(MessageContext ctx, String name) {
        AvpStore.of(ctx).removeAll(name);
        return 1;
    }

    /** 1 if $avp(name) has no value, -1 if it has. */
    @Export(kemiOnly = true, returns = {1, -1})
    public int avp_is_null(MessageContext ctx, String name) {
        return AvpStore.of(ctx).get(name, 0) == null ? 1 : -1;
    }

    // ---- XAVPs (per message: Kamailio's tm also carries them into the transaction, not done here)
    private static XavpStore xavp(MessageContext ctx) { return XavpStore.of(ctx).xavp; }

    private static XavpStore xavu(MessageContext ctx) { return XavpStore.of(ctx).xavu; }

    private static XavpStore xavi(MessageContext ctx) { return XavpStore.of(ctx).xavi; }

    private static Object e(Object v) { return v == null ? "" : v; }

    private static Object w(Object v) { return v == null ? "<null>" : v; }

    @Export(kemiOnly = true, returns = {1})
    public int xavp_seti(MessageContext ctx, String rname, int value) {
        xavp(ctx).add(rname, value);
        return 1;
    }

    @Export(kemiOnly = true, returns = {1})
    public int xavp_sets(MessageContext ctx, String rname, String value) {
        xavp(ctx).add(rname, value);
        return 1;
    }

    @Export(kemiOnly = true)
    public Object xavp_get(MessageContext ctx, String rname) { return xavp(ctx).get(rname); }

    @Export(kemiOnly = true)
    public Object xavp_gete(MessageContext ctx, String rname) { return e(xavp(ctx).get(rname)); }

    @Export(kemiOnly = true)
    public Object xavp_getw(MessageContext ctx, String rname) { return w(xavp(ctx).get(rname)); }

    /** Removes the first item of the name; 1 even when there was none, as Kamailio. */
    @Export(natives = "xavp_rm", returns = {1})
    public int xavp_rm(MessageContext ctx, String rname) {
        xavp(ctx).remove(rname);
        return 1;
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int xavp_is_null(MessageContext ctx, String rname) { return xavp(ctx).isNull(rname) ? 1 : -1; }

    @Export(natives = "xavp_child_seti", returns = {1})
    public int xavp_child_seti(MessageContext ctx, String rname, String cname, int value) {
        xavp(ctx).setChild(rname, cname, value);
        return 1;
    }

    @Export(natives = "xavp_child_sets", returns = {1})
    public int xavp_child_sets(MessageContext ctx, String rname, String cname, String value) {
        xavp(ctx).setChild(rname, cname, value);
        return 1;
    }

    @Export(natives = "xavp_child_rm", returns = {1})
    public int xavp_child_rm(MessageContext ctx, String rname, String cname) {
        xavp(ctx).removeChild(rname, cname);
        return 1;
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int xavp_child_is_null(MessageContext ctx, String rname, String cname) {
        return xavp(ctx).childIsNull(rname, cname) ? 1 : -1;
    }

    @Export(kemiOnly = true)
    public Object xavp_child_get(MessageContext ctx, String rname, String cname) { return xavp(ctx).child(rname, cname); }

    @Export(kemiOnly = true)
    public Object xavp_child_gete(MessageContext ctx, String rname, String cname) { return e(xavp(ctx).child(rname, cname)); }

    @Export(kemiOnly = true)
    public Object xavp_child_getw(MessageContext ctx, String rname, String cname) { return w(xavp(ctx).child(rname, cname)); }

    /** Logs every item of the message's $xavp list at INFO. */
    @Export(natives = "pv_xavp_print", returns = {1})
    public int pv_xavp_print(MessageContext ctx) {
        for (String l : xavp(ctx).dump("xavp")) dev.kemi.runtime.modules.ScriptLog.log(dev.kemi.runtime.modules.ScriptLog.INFO, l);
        return 1;
    }

    @Export(natives = "xavp_params_explode", returns = {1, -1})
    public int xavp_params_explode(MessageContext ctx, String params, String rname) {
        return xavp(ctx).explode(params, rname) ? 1 : -1;
    }

    @Export(kemiOnly = true, returns = {1})
    public int xavu_seti(MessageContext ctx, String rname, int value) {
        xavu(ctx).add(rname, value);
        return 1;
    }

    @Export(kemiOnly = true, returns = {1})
    public int xavu_sets(MessageContext ctx, String rname, String value) {
        xavu(ctx).add(rname, value);
        return 1;
    }

    @Export(kemiOnly = true)
    public Object xavu_get(MessageContext ctx, String rname) { return xavu(ctx).get(rname); }

    @Export(kemiOnly = true)
    public Object xavu_gete(MessageContext ctx, String rname) { return e(xavu(ctx).get(rname)); }

    @Export(kemiOnly = true)
    public Object xavu_getw(MessageContext ctx, String rname) { return w(xavu(ctx).get(rname)); }

    /** Removes the first item of the name; 1 even when there was none, as Kamailio. */
    @Export(kemiOnly = true, returns = {1})
    public int xavu_rm(MessageContext ctx, String rname) {
        xavu(ctx).remove(rname);
        return 1;
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int xavu_is_null(MessageContext ctx, String rname) { return xavu(ctx).isNull(rname) ? 1 : -1; }

    @Export(kemiOnly = true, returns = {1})
    public int xavu_child_seti(MessageContext ctx, String rname, String cname, int value) {
        xavu(ctx).setChild(rname, cname, value);
        return 1;
    }

    @Export(kemiOnly = true, returns = {1})
    public int xavu_child_sets(MessageContext ctx, String rname, String cname, String value) {
        xavu(ctx).setChild(rname, cname, value);
        return 1;
    }

    @Export(kemiOnly = true, returns = {1})
    public int xavu_child_rm(MessageContext ctx, String rname, String cname) {
        xavu(ctx).removeChild(rname, cname);
        return 1;
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int xavu_child_is_null(MessageContext ctx, String rname, String cname) {
        return xavu(ctx).childIsNull(rname, cname) ? 1 : -1;
    }

    @Export(kemiOnly = true)
    public Object xavu_child_get(MessageContext ctx, String rname, String cname) { return xavu(ctx).child(rname, cname); }

    @Export(kemiOnly = true)
    public Object xavu_child_gete(MessageContext ctx, String rname, String cname) { return e(xavu(ctx).child(rname, cname)); }

    @Export(kemiOnly = true)
    public Object xavu_child_getw(MessageContext ctx, String rname, String cname) { return w(xavu(ctx).child(rname, cname)); }

    /** Logs every item of the message's $xavu list at INFO. */
    @Export(natives = "pv_xavu_print", returns = {1})
    public int pv_xavu_print(MessageContext ctx) {
        for (String l : xavu(ctx).dump("xavu")) dev.kemi.runtime.modules.ScriptLog.log(dev.kemi.runtime.modules.ScriptLog.INFO, l);
        return 1;
    }

    @Export(natives = "xavu_params_explode", returns = {1, -1})
    public int xavu_params_explode(MessageContext ctx, String params, String rname) {
        return xavu(ctx).explode(params, rname) ? 1 : -1;
    }

    @Export(kemiOnly = true, returns = {1})
    public int xavi_seti(MessageContext ctx, String rname, int value) {
        xavi(ctx).add(rname, value);
        return 1;
    }

    @Export(kemiOnly = true, returns = {1})
    public int xavi_sets(MessageContext ctx, String rname, String value) {
        xavi(ctx).add(rname, value);
        return 1;
    }

    @Export(kemiOnly = true)
    public Object xavi_get(MessageContext ctx, String rname) { return xavi(ctx).get(rname); }

    @Export(kemiOnly = true)
    public Object xavi_gete(MessageContext ctx, String rname) { return e(xavi(ctx).get(rname)); }

    @Export(kemiOnly = true)
    public Object xavi_getw(MessageContext ctx, String rname) { return w(xavi(ctx).get(rname)); }

    /** Removes the first item of the name; 1 even when there was none, as Kamailio. */
    @Export(natives = "xavi_rm", returns = {1})
    public int xavi_rm(MessageContext ctx, String rname) {
        xavi(ctx).remove(rname);
        return 1;
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int xavi_is_null(MessageContext ctx, String rname) { return xavi(ctx).isNull(rname) ? 1 : -1; }

    @Export(natives = "xavi_child_seti", returns = {1})
    public int xavi_child_seti(MessageContext ctx, String rname, String cname, int value) {
        xavi(ctx).setChild(rname, cname, value);
        return 1;
    }

    @Export(natives = "xavi_child_sets", returns = {1})
    public int xavi_child_sets(MessageContext ctx, String rname, String cname, String value) {
        xavi(ctx).setChild(rname, cname, value);
        return 1;
    }

    @Export(natives = "xavi_child_rm", returns = {1})
    public int xavi_child_rm(MessageContext ctx, String rname, String cname) {
        xavi(ctx).removeChild(rname, cname);
        return 1;
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int xavi_child_is_null(MessageContext ctx, String rname, String cname) {
        return xavi(ctx).childIsNull(rname, cname) ? 1 : -1;
    }

    @Export(kemiOnly = true)
    public Object xavi_child_get(MessageContext ctx, String rname, String cname) { return xavi(ctx).child(rname, cname); }

    @Export(kemiOnly = true)
    public Object xavi_child_gete(MessageContext ctx, String rname, String cname) { return e(xavi(ctx).child(rname, cname)); }

    @Export(kemiOnly = true)
    public Object xavi_child_getw(MessageContext ctx, String rname, String cname) { return w(xavi(ctx).child(rname, cname)); }

    /** Logs every item of the message's $xavi list at INFO. */
    @Export(natives = "pv_xavi_print", returns = {1})
    public int pv_xavi_print(MessageContext ctx) {
        for (String l : xavi(ctx).dump("xavi")) dev.kemi.runtime.modules.ScriptLog.log(dev.kemi.runtime.modules.ScriptLog.INFO, l);
        return 1;
    }
}
