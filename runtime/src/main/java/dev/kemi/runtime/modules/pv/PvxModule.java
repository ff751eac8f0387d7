package dev.kemi.runtime.modules.pv;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Pv;
import dev.kemi.api.PvExports;
import dev.kemi.api.PvSpec;
import dev.kemi.api.ScriptContext;
import java.util.Set;
import dev.kemi.runtime.core.MessageContext;

/** The pv module's own KEMI functions (KSR.pvx): $var, $shv and $avp shortcuts. */
@Module(value = "pvx", loadName = "pv")
public final class PvxModule implements PvExports {
    private final VarStore vars;
    private final SharedVars shared;
    private final StandardPvs pvs;
    private final StaticBranch sbranch = new StaticBranch();

    /** With the $var and $shv of the proxy's pseudo-variables (the cfg's $var(x) is KSR.pvx.var_get("x")). */
    public PvxModule(StandardPvs pvs) {
        this.vars = pvs.vars();
        this.shared = pvs.shared();
        this.pvs = pvs;
    }

    /** $xavp / $xavu / $xavi (root[i]=>child[j]): read, assign, $null to remove. */
    @Override
    public Set<String> pvNames() {
        return Set.of("xavp", "xavu", "xavi", "sbranch", "branch");
    }

    @Override
    public Pv resolvePv(PvSpec spec) {
        if (spec.name().equals("sbranch")) {
            Pv pv = spec.param() == null ? null : sbranch.pv(spec.param());
            if (pv == null) throw new IllegalArgumentException("unknown PV branch name " + spec.param());
            return pv;
        }
        if (spec.name().equals("branch")) return BranchPv.resolve(spec, pvs);
        String p = spec.param() == null ? "" : spec.param().strip();
        int arrow = XavpName.arrow(p);
        XavpName root = XavpName.parse(arrow < 0 ? p : p.substring(0, arrow), pvs);
        XavpName child = arrow < 0 ? null : XavpName.parse(p.substring(arrow + 2), pvs);
        if (root == null || (arrow >= 0 && child == null)) throw new IllegalArgumentException("$" + spec.name() + " needs (name[=>child])");
        String kind = spec.name();
        return new Pv() {
            private XavpStore store(ScriptContext ctx) {
                XavpStore.Lists l = XavpStore.of((MessageContext) ctx);
                return kind.equals("xavu") ? l.xavu() : kind.equals("xavi") ? l.xavi() : l.xavp();
            }

            @Override
            public Object get(ScriptContext ctx) {
                if (child == null) return store(ctx).read(root.name(), root.readIndex(ctx), null, 0);
                Integer ci = child.index.at(ctx);
                if (ci != null && ci == PvSpec.ALL) return store(ctx).readAll(root.name(), root.readIndex(ctx), child.name());
                return store(ctx).read(root.name(), root.readIndex(ctx), child.name(), ci == null ? 0 : ci);
            }

            @Override
            public void set(ScriptContext ctx, Object value) {
                store(ctx).write(root.name(), root.index.at(ctx), child == null ? null : child.name(), child == null ? null : child.index.at(ctx), value);
            }

            @Override
            public boolean writable() { return true; }
        };
    }

    /** One side of $xavp(root[i]=>child[j]) as pv_xavp_fill_ni reads it: a name and its optional index. */
    private record XavpName(String name, PvIndex index) {
        /** Where "=>" separates root and child, outside brackets; -1 if it does not. */
        static int arrow(String p) {
            int depth = 0;
            for (int i = 0; i + 1 < p.length(); i++) {
                char c = p.charAt(i);
                if (c == '[') depth++;
                else if (c == ']') depth--;
                else if (depth == 0 && c == '=' && p.charAt(i + 1) == '>') return i;
            }
            return -1;
        }

        /** null when malformed; the index may be an int or a pseudo-variable holding one. */
        static XavpName parse(String text, StandardPvs pvs) {
            String t = text.strip();
            int open = t.indexOf('[');
            String name = (open < 0 ? t : t.substring(0, open)).strip();
            if (name.isEmpty() || name.indexOf(']') >= 0) return null;
            if (open < 0) return new XavpName(name, PvIndex.NONE);
            if (!t.endsWith("]")) return null;
            return new XavpName(name, PvIndex.parse(t.substring(open + 1, t.length() - 1), pvs));
        }

        /** The index a read uses: 0 without one, and for [*] of a root, as pv_get_spec_index leaves it. */
        int readIndex(ScriptContext ctx) {
            Integer i = index.at(ctx);
            return i == null || i == PvSpec.ALL ? 0 : i;
        }
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
    private static XavpStore xavp(MessageContext ctx) { return XavpStore.of(ctx).xavp(); }

    private static XavpStore xavu(MessageContext ctx) { return XavpStore.of(ctx).xavu(); }

    private static XavpStore xavi(MessageContext ctx) { return XavpStore.of(ctx).xavi(); }

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

    // ---- dict / list views (pv.c ki_xav_getd_helper, ki_xav_get_keys): arrays and dicts reach JS
    // as arrays and objects; app_python3 5.6.3 has no array/dict return, so Python gets None.
    @Export(kemiOnly = true)
    public Object xavp_getd(MessageContext ctx, String rname) { return xavp(ctx).dicts(rname); }

    @Export(kemiOnly = true)
    public Object xavp_getd_p1(MessageContext ctx, String rname, int index) { return xavp(ctx).dictAt(rname, index); }

    @Export(kemiOnly = true)
    public Object xavp_get_keys(MessageContext ctx, String rname, int index) { return xavp(ctx).keys(rname, index); }

    @Export(kemiOnly = true)
    public Object xavi_getd(MessageContext ctx, String rname) { return xavi(ctx).dicts(rname); }

    @Export(kemiOnly = true)
    public Object xavi_getd_p1(MessageContext ctx, String rname, int index) { return xavi(ctx).dictAt(rname, index); }

    @Export(kemiOnly = true)
    public Object xavi_get_keys(MessageContext ctx, String rname, int index) { return xavi(ctx).keys(rname, index); }

    /** Writes "name=value;..." of the first item's fields into the variable; -1 when there are none. */
    @Export(natives = "xavp_params_implode", returns = {1, -1})
    public int xavp_params_implode(MessageContext ctx, String rname, String pvname) {
        return implode(ctx, xavp(ctx), rname, pvname);
    }

    @Export(natives = "xavu_params_implode", returns = {1, -1})
    public int xavu_params_implode(MessageContext ctx, String rname, String pvname) {
        return implode(ctx, xavu(ctx), rname, pvname);
    }

    private int implode(MessageContext ctx, XavpStore store, String rname, String pvname) {
        if (rname.isEmpty()) return -1;
        Pv out = writable(pvname);
        if (out == null) return -1;
        String s = store.serializeFields(rname);
        if (s.isEmpty()) return -1;
        out.set(ctx, s);
        return 1;
    }

    /** The writable variable named (as "$var(x)"), null when unknown or read-only. */
    private Pv writable(String pvname) {
        try {
            Pv pv = pvs.resolve(dev.kemi.api.PvSpec.parse(pvname));
            return pv.writable() ? pv : null;
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    /** Splits slist at any character of sep into "v" fields of a new item; mode "t" trims tokens. */
    @Export(natives = "xavp_slist_explode", returns = {1, -1})
    public int xavp_slist_explode(MessageContext ctx, String slist, String sep, String mode, String rname) {
        if (slist.isEmpty() || sep.isEmpty() || rname.isEmpty()) return -1;
        xavp(ctx).slistExplode(slist, sep, mode, rname);
        return 1;
    }

    /** Copies src[index] to dst (added after dst's items); -1 when the source is absent. */
    @Export(kemiOnly = true, returns = {1, -1})
    public int xavp_copy(MessageContext ctx, String src, int index, String dst) {
        return xavp(ctx).copy(src, index, dst) ? 1 : -1;
    }

    /** As 5.6.3's ki_xavp_copy_dst, which passes dimode 0: dst_idx is not used, it copies as xavp_copy. */
    @Export(kemiOnly = true, returns = {1, -1})
    public int xavp_copy_dst(MessageContext ctx, String src, int index, String dst, int dstIndex) {
        return xavp(ctx).copy(src, index, dst) ? 1 : -1;
    }

    /** $var(name) (or every $var for "*") becomes the fields of the only item xname; -1 for an unset var. */
    @Export(natives = "pv_var_to_xavp", returns = {1, -1})
    public int pv_var_to_xavp(MessageContext ctx, String varname, String xname) {
        java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
        if (varname.equals("*")) {
            for (var e : vars.all().entrySet()) if (!"".equals(e.getValue())) fields.put(e.getKey(), e.getValue());
        } else {
            if (!vars.has(varname)) return -1;
            fields.put(varname, vars.get(varname));
        }
        xavp(ctx).replaceWithFields(xname, fields);
        return 1;
    }

    /** Every field of every item xname becomes $var(field); -1 when there is no such list. */
    @Export(natives = "pv_xavp_to_var", returns = {1, -1})
    public int pv_xavp_to_var(MessageContext ctx, String xname) {
        var fields = xavp(ctx).allFields(xname);
        if (fields == null) return -1;
        for (var f : fields) vars.set(f.getKey(), f.getValue());
        return 1;
    }

    /** Evaluates the format (pseudo-variables in it) and assigns the string to dst. */
    @Export(kemiOnly = true, returns = {1, -1})
    public int evalx(MessageContext ctx, String dst, String fmt) {
        Pv out = writable(dst);
        if (out == null) return -1;
        String value;
        try {
            value = new PvFormat(fmt, pvs).print(ctx);
        } catch (IllegalArgumentException bad) {
            return -1;
        }
        out.set(ctx, value);
        return 1;
    }

    /** R-URI, $du, send socket and branch flags from $sbranch; -1 when it has no uri. */
    @Export(routes = dev.kemi.api.RouteType.ANY, returns = {1, -1})
    public int sbranch_set_ruri(MessageContext ctx) { return sbranch.setRuri(ctx); }

    /** $sbranch appended to the destination set; -1 when it has no uri. */
    @Export(routes = dev.kemi.api.RouteType.ANY, returns = {1, -1})
    public int sbranch_append(MessageContext ctx) { return sbranch.append(ctx); }

    /** Every $sbranch field cleared. */
    @Export(routes = dev.kemi.api.RouteType.ANY, returns = {1})
    public int sbranch_reset(MessageContext ctx) {
        sbranch.reset();
        return 1;
    }
}
