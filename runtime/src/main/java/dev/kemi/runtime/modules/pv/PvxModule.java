package dev.kemi.runtime.modules.pv;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.runtime.core.MessageContext;

/** The pv module's own KEMI functions (KSR.pvx): $var and $shv shortcuts. */
@Module(value = "pvx", loadName = "pv")
public final class PvxModule {

    @Export(kemiOnly = true)
    public int var_seti(MessageContext ctx, String name, int value) {
        VarStore.set(name, value);
        return 1;
    }

    @Export(kemiOnly = true)
    public int var_sets(MessageContext ctx, String name, String value) {
        VarStore.set(name, value);
        return 1;
    }

    @Export(kemiOnly = true)
    public Object var_get(MessageContext ctx, String name) { return VarStore.get(name); }

    @Export(kemiOnly = true)
    public int shv_seti(MessageContext ctx, String name, int value) {
        SharedVars.set(name, value);
        return 1;
    }

    @Export(kemiOnly = true)
    public int shv_sets(MessageContext ctx, String name, String value) {
        SharedVars.set(name, value);
        return 1;
    }

    @Export(kemiOnly = true)
    public Object shv_get(MessageContext ctx, String name) { return SharedVars.get(name); }
}
