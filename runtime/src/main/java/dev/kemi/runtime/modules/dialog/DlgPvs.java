package dev.kemi.runtime.modules.dialog;

import dev.kemi.api.Pv;
import dev.kemi.api.PvSpec;
import dev.kemi.api.ScriptContext;
import dev.kemi.runtime.core.MessageContext;
import java.util.Set;
import java.util.function.Function;

/** $dlg(...), $dlg_ctx(...), $dlg_var(...), $DLG_count, $DLG_status and $DLG_lifetime as dlg_var.c. */
final class DlgPvs {
    static final Set<String> NAMES = Set.of("dlg", "dlg_ctx", "dlg_var", "DLG_count", "DLG_status", "DLG_lifetime");

    private final DialogModule m;

    DlgPvs(DialogModule m) {
        this.m = m;
    }

    Pv resolve(PvSpec spec) {
        String p = spec.param();
        return switch (spec.name()) {
            case "dlg" -> dlg(p);
            case "dlg_ctx" -> dlgCtx(p);
            case "dlg_var" -> {
                if (p == null || p.isEmpty()) throw new IllegalArgumentException("invalid dlg_var name");
                yield new Pv() {
                    @Override
                    public Object get(ScriptContext ctx) {
                        return getVar((MessageContext) ctx, p);
                    }

                    @Override
                    public void set(ScriptContext ctx, Object value) {
                        setVar((MessageContext) ctx, p, value == null || "".equals(value) ? null : value.toString(), true);
                    }

                    @Override
                    public boolean writable() {
                        return true;
                    }
                };
            }
            case "DLG_count" -> ctx -> (int) m.tracker.active.sum();
            case "DLG_status" -> ctx -> {
                DlgCtx c = DlgCtx.peek((MessageContext) ctx);
                return c == null || c.curStatus < 0 ? null : c.curStatus;
            };
            case "DLG_lifetime" -> ctx -> {
                DlgCtx c = DlgCtx.peek((MessageContext) ctx);
                return c == null || c.curStatus < 0 ? null : c.curLifetime;
            };
            default -> throw new IllegalArgumentException("unknown PV " + spec.name());
        };
    }

    /** The dialog's variable, or the message's own list before there is a dialog. */
    String getVar(MessageContext ctx, String name) {
        Dialog d = m.tracker.dialogOf(ctx);
        if (d != null) return d.vars.get(name);
        DlgCtx c = DlgCtx.peek(ctx);
        return c == null ? null : c.localVars.get(name);
    }

    /** @param fromPv $dlg_var marks the dialog's variables changed; KEMI var_sets does not, as in Kamailio */
    void setVar(MessageContext ctx, String name, String value, boolean fromPv) {
        Dialog d = m.tracker.dialogOf(ctx);
        if (d == null) {
            java.util.Map<String, String> vars = DlgCtx.of(ctx).localVars;
            if (value == null) vars.remove(name);
            else vars.put(name, value);
            return;
        }
        d.putVar(name, value);
        if (fromPv) {
            d.dflags |= Dialog.FLAG_CHANGED_VARS;
            m.tracker.realtimeWrite(d);
        }
    }

    private static String nz(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private Pv dlg(String key) {
        Function<Dialog, Object> f = switch (key == null ? "" : key) {
            case "ref" -> d -> d.onTimer() ? 2 : 1;
            case "h_id" -> d -> d.hId;
            case "h_entry" -> d -> d.hEntry;
            case "state" -> d -> d.state;
            case "to_rs" -> d -> nz(d.routeSet[Dialog.CALLEE]);
            case "from_rs" -> d -> nz(d.routeSet[Dialog.CALLER]);
            case "dflags" -> d -> d.dflags;
            case "sflags" -> d -> d.sflags;
            case "callid" -> d -> nz(d.callId);
            case "to_uri" -> d -> nz(d.toUri);
            case "from_uri" -> d -> nz(d.fromUri);
            case "to_tag" -> d -> nz(d.tag[Dialog.CALLEE]);
            case "from_tag" -> d -> nz(d.tag[Dialog.CALLER]);
            case "toroute" -> d -> d.toRoute == null ? 0 : 1;
            case "to_cseq" -> d -> nz(d.cseq[Dialog.CALLEE]);
            case "from_cseq" -> d -> nz(d.cseq[Dialog.CALLER]);
            case "lifetime" -> d -> d.lifetime;
            case "start_ts" -> d -> (int) d.startTs;
            case "to_contact" -> d -> nz(d.contact[Dialog.CALLEE]);
            case "from_contact" -> d -> nz(d.contact[Dialog.CALLER]);
            case "to_bindaddr" -> d -> d.bindAddr[Dialog.CALLEE] == null ? null : d.bindAddr[Dialog.CALLEE].toString();
            case "from_bindaddr" -> d -> d.bindAddr[Dialog.CALLER] == null ? null : d.bindAddr[Dialog.CALLER].toString();
            default -> throw new IllegalArgumentException("unknown PV name " + key);
        };
        return ctx -> {
            Dialog d = m.tracker.dialogOf((MessageContext) ctx);
            return d == null ? null : f.apply(d);
        };
    }

    private Pv dlgCtx(String key) {
        String k = key == null ? "" : key;
        switch (k) {
            case "on", "flags", "timeout", "timeout_bye", "timeout_route", "set", "dir", "timeout_route_id" -> { }
            default -> throw new IllegalArgumentException("unknown PV name " + key);
        }
        return new Pv() {
            @Override
            public Object get(ScriptContext sc) {
                DlgCtx c = DlgCtx.peek((MessageContext) sc);
                return switch (k) {
                    case "flags" -> c == null ? 0 : c.flags;
                    case "timeout" -> c == null ? 0 : c.timeout;
                    case "timeout_bye" -> c == null ? 0 : c.toBye;
                    case "timeout_route" -> c == null ? null : c.toRoute;
                    case "set" -> c != null && c.dlg != null ? 1 : 0;
                    case "dir" -> c == null ? 0 : c.dir;
                    case "timeout_route_id" -> c == null || c.toRoute == null ? 0 : 1;
                    default -> c == null ? 0 : c.on;
                };
            }

            @Override
            public void set(ScriptContext sc, Object value) {
                DlgCtx c = DlgCtx.of((MessageContext) sc);
                int n = value instanceof Integer i ? i : 0;
                switch (k) {
                    case "flags" -> c.flags = n;
                    case "timeout" -> c.timeout = n;
                    case "timeout_bye" -> c.toBye = n;
                    case "timeout_route" -> {
                        String s = value instanceof String str ? str : n != 0 ? Integer.toString(n) : null;
                        c.toRoute = s == null || s.isEmpty() ? null : s;
                    }
                    case "set", "dir", "timeout_route_id" -> throw new UnsupportedOperationException("read-only pseudo-variable");
                    default -> c.on = n;
                }
            }

            @Override
            public boolean writable() {
                return !k.equals("set") && !k.equals("dir") && !k.equals("timeout_route_id");
            }
        };
    }
}
