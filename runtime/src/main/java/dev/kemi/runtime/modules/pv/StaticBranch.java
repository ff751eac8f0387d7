package dev.kemi.runtime.modules.pv;

import dev.kemi.api.Pv;
import dev.kemi.api.ScriptContext;
import dev.kemi.runtime.core.BranchAttrs;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.core.SendSocket;
import dev.kemi.runtime.transport.ListenSocket;

/**
 * pv's static branch ($sbranch(key), sbranch_set_ruri/append/reset): one branch_t a script fills
 * field by field and then pushes. Kamailio keeps it per process and it outlives the message; we
 * keep it per worker thread.
 */
final class StaticBranch {
    /** One worker's static branch; an empty uri means unset. */
    private static final class Fields {
        String uri = "";
        String dstUri = "";
        String path = "";
        int q = -1;
        ListenSocket socket;
        int flags;
        int otcpid;
    }

    private final ThreadLocal<Fields> current = ThreadLocal.withInitial(Fields::new);

    void reset() {
        current.set(new Fields());
    }

    /** $sbranch(key); null for an unknown key. */
    Pv pv(String key) {
        String k = key.strip();
        if (!java.util.Set.of("uri", "dst_uri", "path", "q", "Q", "send_socket", "count", "flags", "ruid",
                "location_ua", "otcpid", "instance").contains(k)) return null;
        return new Pv() {
            @Override
            public Object get(ScriptContext ctx) { return read(k, (MessageContext) ctx); }

            @Override
            public void set(ScriptContext ctx, Object value) { write(k, value, (MessageContext) ctx); }

            @Override
            public boolean writable() { return true; }
        };
    }

    private Object read(String k, MessageContext ctx) {
        Fields f = current.get();
        if (k.equals("count")) return ctx.branches().size();
        if (f.uri.isEmpty()) return null;
        return switch (k) {
            case "uri" -> f.uri;
            case "dst_uri" -> f.dstUri.isEmpty() ? null : f.dstUri;
            case "path" -> f.path.isEmpty() ? null : f.path;
            case "q", "Q" -> f.q < 0 ? null : f.q;
            case "send_socket" -> f.socket == null ? null : f.socket.toString();
            case "flags" -> f.flags;
            case "otcpid" -> f.otcpid;
            default -> null; // ruid, location_ua, instance: Kamailio has no way to set them here
        };
    }

    private void write(String k, Object v, MessageContext ctx) {
        Fields f = current.get();
        switch (k) {
            case "uri" -> {
                if (v == null || v.toString().isEmpty()) reset();
                else f.uri = str(v, "branch uri");
            }
            case "dst_uri" -> f.dstUri = v == null ? "" : str(v, "branch dst uri");
            case "path" -> f.path = v == null ? "" : str(v, "branch path");
            case "q", "Q" -> f.q = v == null ? -1 : integer(v, "branch q");
            case "flags" -> f.flags = v == null ? 0 : integer(v, "branch flags");
            case "otcpid" -> f.otcpid = v == null ? 0 : integer(v, "branch flags");
            case "send_socket" -> f.socket = v == null || v.toString().isEmpty() ? null : socket(ctx, str(v, "branch send sock"));
            default -> { } // count, ruid, location_ua, instance are read-only
        }
    }

    /** The listening socket named "proto:host:port" (Kamailio only warns when it has none). */
    static ListenSocket socket(MessageContext ctx, String spec) {
        if (!SendSocket.wellFormed(spec)) throw new IllegalArgumentException("invalid socket specification");
        ListenSocket s = SendSocket.parse(ctx, spec);
        if (s == null) ScriptLog.log(ScriptLog.WARN, "no socket found to match [" + spec + "]");
        return s;
    }

    /**
     * sbranch_set_ruri: the R-URI, $du, send socket and branch flags (or-ed) of the message from
     * the static branch. -1 when it has no URI. As Kamailio 5.6.3 (its test is inverted) the
     * path vector is always cleared, never taken from the branch.
     */
    int setRuri(MessageContext ctx) {
        Fields f = current.get();
        if (f.uri.isEmpty() || !ctx.msg().isRequest()) return -1;
        ctx.msg().setRequestUri(f.uri);
        ctx.setDstUri(f.dstUri.isEmpty() ? null : f.dstUri);
        ctx.setPathVector(null);
        if (f.socket != null) SendSocket.set(ctx, f.socket);
        ctx.addBranchFlags(f.flags);
        return 1;
    }

    /** sbranch_append: the static branch pushed to the destination set; -1 when it has no URI. */
    int append(MessageContext ctx) {
        Fields f = current.get();
        if (f.uri.isEmpty()) return -1;
        ctx.appendBranch(f.uri, new BranchAttrs(f.dstUri.isEmpty() ? null : f.dstUri, f.path.isEmpty() ? null : f.path,
                f.q, f.flags, f.socket == null ? null : f.socket.toString()));
        return 1;
    }

    private static String str(Object v, String what) {
        if (!(v instanceof String s)) throw new IllegalArgumentException("str value required to set " + what);
        return s;
    }

    private static int integer(Object v, String what) {
        if (!(v instanceof Integer i)) throw new IllegalArgumentException("int value required to set " + what);
        return i;
    }
}
