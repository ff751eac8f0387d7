package dev.kemi.runtime.modules.pv;

import dev.kemi.api.Pv;
import dev.kemi.api.ScriptContext;
import dev.kemi.runtime.core.MessageContext;

/** {@code $xavp(root)}, {@code $xavp(root[i])}, {@code $xavp(root=>field)}, {@code $xavp(root[i]=>field[j])}. */
final class XavpPv implements Pv {
    private final String root;
    private final int index;
    private final String field;
    private final int fieldIndex;

    private XavpPv(String root, int index, String field, int fieldIndex) {
        this.root = root;
        this.index = index;
        this.field = field;
        this.fieldIndex = fieldIndex;
    }

    static XavpPv parse(String param) {
        String p = param.trim();
        int arrow = p.indexOf("=>");
        String r = arrow < 0 ? p : p.substring(0, arrow).trim();
        String f = arrow < 0 ? null : p.substring(arrow + 2).trim();
        int[] ri = new int[1];
        int[] fi = new int[1];
        r = name(r, ri, param);
        if (f != null) f = name(f, fi, param);
        return new XavpPv(r, ri[0], f, fi[0]);
    }

    private static String name(String s, int[] index, String whole) {
        int b = s.indexOf('[');
        if (b < 0) return requireName(s, whole);
        if (!s.endsWith("]")) throw new IllegalArgumentException("invalid xavp name " + whole);
        try {
            index[0] = Integer.parseInt(s.substring(b + 1, s.length() - 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid xavp index in " + whole);
        }
        return requireName(s.substring(0, b).trim(), whole);
    }

    private static String requireName(String s, String whole) {
        if (s.isEmpty()) throw new IllegalArgumentException("invalid xavp name " + whole);
        return s;
    }

    @Override
    public Object get(ScriptContext ctx) {
        XavpStore s = XavpStore.of((MessageContext) ctx).xavp;
        return field == null ? s.get(root, index) : s.child(root, index, field, fieldIndex);
    }

    @Override
    public void set(ScriptContext ctx, Object value) {
        XavpStore s = XavpStore.of((MessageContext) ctx).xavp;
        if (field == null) s.assign(root, value);
        else s.assignChild(root, index, field, value);
    }

    @Override
    public boolean writable() {
        return true;
    }
}
