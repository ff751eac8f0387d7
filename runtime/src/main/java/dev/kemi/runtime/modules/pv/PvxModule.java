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

    @Export(kemiOnly = true)
    public int var_seti(MessageContext ctx, String name, int value) {
        vars.set(name, value);
        return 1;
    }

    @Export(kemiOnly = true)
    public int var_sets(MessageContext ctx, String name, String value) {
        vars.set(name, value);
        return 1;
    }

    @Export(kemiOnly = true)
    public Object var_get(MessageContext ctx, String name) { return vars.get(name); }

    @Export(kemiOnly = true)
    public int shv_seti(MessageContext ctx, String name, int value) {
        shared.set(name, value);
        return 1;
    }

    @Export(kemiOnly = true)
    public int shv_sets(MessageContext ctx, String name, String value) {
        shared.set(name, value);
        return 1;
    }

    @Export(kemiOnly = true)
    public Object shv_get(MessageContext ctx, String name) { return shared.get(name); }

    /** Adds a value on top of $avp(name). */
    @Export(kemiOnly = true)
    public int avp_seti(MessageContext ctx, String name, int value) {
        AvpStore.of(ctx).add(name, value);
        return 1;
    }

    @Export(kemiOnly = true)
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
    @Export(kemiOnly = true)
    public int avp_rm(MessageContext ctx, String name) {
        AvpStore.of(ctx).removeAll(name);
        return 1;
    }

    /** 1 if $avp(name) has no value, -1 if it has. */
    @Export(kemiOnly = true)
    public int avp_is_null(MessageContext ctx, String name) {
        return AvpStore.of(ctx).get(name, 0) == null ? 1 : -1;
    }
}
