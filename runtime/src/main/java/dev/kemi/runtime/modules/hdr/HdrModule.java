package dev.kemi.runtime.modules.hdr;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.HeaderEdits;
import dev.kemi.runtime.modules.sl.ReplyExtras;
import dev.kemi.runtime.sip.Header;
import java.util.List;
import java.util.Locale;

/**
 * KSR.hdr (core, KEMI only: the native names belong to textops). Edits go to the outgoing
 * message; reads keep seeing the received one, as with Kamailio's lumps.
 */
@Module("hdr")
public final class HdrModule {

    @Export(kemiOnly = true, returns = {1, -1})
    public int append(MessageContext ctx, String text) {
        if (text == null || text.isEmpty()) return -1;
        ctx.msg().appendHeader(HeaderEdits.line(text));
        return 1;
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int append_after(MessageContext ctx, String text, String hname) {
        if (text == null || text.isEmpty()) return -1;
        ctx.msg().appendHeaderAfter(HeaderEdits.line(text), hname);
        return 1;
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int insert(MessageContext ctx, String text) {
        if (text == null || text.isEmpty()) return -1;
        ctx.msg().insertHeader(HeaderEdits.line(text));
        return 1;
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int insert_before(MessageContext ctx, String text, String hname) {
        if (text == null || text.isEmpty()) return -1;
        ctx.msg().insertHeaderBefore(HeaderEdits.line(text), hname);
        return 1;
    }

    /** Removes every field of that name; 1 even when there was none. */
    @Export(kemiOnly = true, returns = {1})
    public int remove(MessageContext ctx, String hname) {
        removeAll(ctx, hname);
        return 1;
    }

    /** Number of fields removed. */
    public static int removeAll(MessageContext ctx, String hname) {
        List<Header> hs = HeaderEdits.named(ctx.msg(), hname);
        for (Header h : hs) ctx.msg().removeHeader(h);
        return hs.size();
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int rmappend(MessageContext ctx, String hrm, String hadd) {
        remove(ctx, hrm);
        return append(ctx, hadd);
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int rminsert(MessageContext ctx, String hrm, String hadd) {
        remove(ctx, hrm);
        return insert(ctx, hadd);
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int is_present(MessageContext ctx, String hname) {
        return ctx.msg().hasHeader(hname) ? 1 : -1;
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int append_to_reply(MessageContext ctx, String text) {
        if (text == null || text.isEmpty()) return -1;
        ReplyExtras.of(ctx).addHeaderText(text);
        return 1;
    }

    /** Body of the idx-th field (negative: from the end), or null. */
    static String value(MessageContext ctx, String hname, int idx) {
        if (idx == 0) return ctx.msg().header(hname);
        List<String> hs = ctx.msg().headers(hname);
        int i = idx < 0 ? hs.size() + idx : idx;
        return i < 0 || i >= hs.size() ? null : hs.get(i);
    }

    @Export(kemiOnly = true)
    public Object get(MessageContext ctx, String hname) { return value(ctx, hname, 0); }

    @Export(kemiOnly = true)
    public Object gete(MessageContext ctx, String hname) {
        String v = value(ctx, hname, 0);
        return v == null ? "" : v;
    }

    @Export(kemiOnly = true)
    public Object getw(MessageContext ctx, String hname) {
        String v = value(ctx, hname, 0);
        return v == null ? "<null>" : v;
    }

    @Export(kemiOnly = true)
    public Object get_idx(MessageContext ctx, String hname, int idx) { return value(ctx, hname, idx); }

    @Export(kemiOnly = true)
    public Object gete_idx(MessageContext ctx, String hname, int idx) {
        String v = value(ctx, hname, idx);
        return v == null ? "" : v;
    }

    @Export(kemiOnly = true)
    public Object getw_idx(MessageContext ctx, String hname, int idx) {
        String v = value(ctx, hname, idx);
        return v == null ? "<null>" : v;
    }

    /**
     * op eq|ne|sw|in (case-insensitive; "in": the body is one of the comma-separated values),
     * idx f(irst) l(ast) a(ll must match) o(ne must match).
     */
    @Export(kemiOnly = true)
    public boolean match_content(MessageContext ctx, String hname, String op, String value, String idx) {
        List<Header> hs = HeaderEdits.named(ctx.msg(), hname);
        if (hs.isEmpty() || op.isEmpty() || idx.isEmpty()) return false;
        char which = Character.toLowerCase(idx.charAt(0));
        return switch (which) {
            case 'f' -> matches(hs.get(0).value(), op, value);
            case 'l' -> matches(hs.get(hs.size() - 1).value(), op, value);
            case 'a' -> hs.stream().allMatch(h -> matches(h.value(), op, value));
            case 'o' -> hs.stream().anyMatch(h -> matches(h.value(), op, value));
            default -> false;
        };
    }

    private static boolean matches(String body, String op, String value) {
        String b = body.trim().toLowerCase(Locale.ROOT);
        String v = value.toLowerCase(Locale.ROOT);
        return switch (op.toLowerCase(Locale.ROOT)) {
            case "eq" -> b.equals(v);
            case "ne" -> !b.equals(v);
            case "sw" -> b.startsWith(v);
            case "in" -> {
                for (String x : v.split(",")) if (x.trim().equals(b)) yield true;
                yield false;
            }
            default -> false;
        };
    }
}
