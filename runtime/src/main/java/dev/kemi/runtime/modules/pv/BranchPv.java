package dev.kemi.runtime.modules.pv;

import dev.kemi.api.Pv;
import dev.kemi.api.PvProvider;
import dev.kemi.api.PvSpec;
import dev.kemi.api.ScriptContext;
import dev.kemi.runtime.core.BranchAttrs;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.transport.ListenSocket;
import java.util.Set;

/**
 * $branch(key) and $(branch(key)[index]) (pv_branch.c): a field of a destination-set branch, 0
 * the first appended, negative counting from the last; unset without such a branch, $branch(count)
 * too. uri, dst_uri, path, q, send_socket and flags are writable; $null or "" for the uri drops
 * the branch.
 */
final class BranchPv {
    private static final Set<String> KEYS = Set.of("uri", "dst_uri", "path", "q", "Q", "send_socket", "count", "flags",
            "ruid", "location_ua", "otcpid", "instance");

    private BranchPv() {}

    static Pv resolve(PvSpec spec, PvProvider pvs) {
        String key = spec.param() == null ? "" : spec.param();
        if (!KEYS.contains(key)) throw new IllegalArgumentException("unknown PV branch name " + key);
        PvIndex ix = PvIndex.of(spec, pvs);
        return new Pv() {
            @Override
            public Object get(ScriptContext ctx) {
                int i;
                try {
                    i = position(ctx, ix);
                } catch (IllegalArgumentException e) {
                    return null; // pv_get_branchx: an index that is not an int reads as $null
                }
                return read((MessageContext) ctx, key, i);
            }

            @Override
            public void set(ScriptContext ctx, Object value) { write((MessageContext) ctx, key, position(ctx, ix), value); }

            @Override
            public boolean writable() { return true; }
        };
    }

    /** The index asked for; [*] reads as 0, as pv_get_spec_index leaves it. */
    private static int position(ScriptContext ctx, PvIndex ix) {
        Integer i = ix.at(ctx);
        return i == null || i == PvSpec.ALL ? 0 : i;
    }

    /** get_sip_branch: the branch's position in the set, or -1 when there is none there. */
    private static int slot(MessageContext ctx, int i) {
        int n = ctx.branches().size();
        if (i < 0) i += n;
        return i >= 0 && i < n ? i : -1;
    }

    private static Object read(MessageContext ctx, String key, int index) {
        int i = slot(ctx, index);
        if (i < 0) return null;
        BranchAttrs a = attrs(ctx, i);
        return switch (key) {
            case "uri" -> ctx.branches().get(i);
            case "dst_uri" -> a.dstUri();
            case "path" -> a.path();
            case "q", "Q" -> a.q() < 0 ? null : a.q();
            case "send_socket" -> a.socket();
            case "count" -> ctx.branches().size();
            case "flags" -> a.flags();
            case "ruid" -> a.ruid();
            case "location_ua" -> a.ua();
            case "instance" -> a.instance();
            default -> 0; // otcpid: we keep no TCP connection id per branch
        };
    }

    private static BranchAttrs attrs(MessageContext ctx, int i) {
        BranchAttrs a = ctx.branchAttrs(i);
        return a != null ? a : new BranchAttrs(null, null, -1, 0, null);
    }

    private static void write(MessageContext ctx, String key, int index, Object v) {
        int i = slot(ctx, index);
        if (i < 0) throw new IllegalArgumentException("no branch to operate on");
        String uri = ctx.branches().get(i);
        BranchAttrs a = attrs(ctx, i);
        String du = a.dstUri(), path = a.path(), socket = a.socket();
        int q = a.q(), flags = a.flags();
        switch (key) {
            case "uri" -> {
                if (v == null || "".equals(v)) {
                    ctx.dropBranch(i);
                    return;
                }
                uri = str(v, "branch uri");
            }
            case "dst_uri" -> du = emptyIsNull(v, "branch dst uri");
            case "path" -> path = emptyIsNull(v, "branch path");
            case "q", "Q" -> q = v == null ? -1 : integer(v, "branch q");
            case "flags" -> flags = v == null ? 0 : integer(v, "branch flags");
            case "send_socket" -> {
                String s = emptyIsNull(v, "branch send sock");
                ListenSocket ls = s == null ? null : StaticBranch.socket(ctx, s);
                socket = ls == null ? null : ls.toString();
            }
            case "otcpid" -> throw new UnsupportedOperationException("$branch(otcpid) cannot be set: no TCP connection id is kept per branch");
            default -> { // count, ruid, location_ua, instance: read-only, as in Kamailio
                return;
            }
        }
        ctx.setBranch(i, uri, new BranchAttrs(du, path, q, flags, socket, a.instance(), a.ruid(), a.ua()));
    }

    private static String emptyIsNull(Object v, String what) {
        if (v == null) return null;
        String s = str(v, what);
        return s.isEmpty() ? null : s;
    }

    private static String str(Object v, String what) {
        if (!(v instanceof String s)) throw new IllegalArgumentException("str value required to set " + what);
        return s;
    }

    private static int integer(Object v, String what) {
        if (!(v instanceof Integer n)) throw new IllegalArgumentException("int value required to set " + what);
        return n;
    }
}
