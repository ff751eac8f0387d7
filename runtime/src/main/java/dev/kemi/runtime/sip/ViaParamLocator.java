package dev.kemi.runtime.sip;

import java.util.Locale;

/** Finds a parameter inside one raw Via value so that an edit can replace exactly its bytes. */
final class ViaParamLocator {
    private ViaParamLocator() {}

    /** {start, end} of "name[=value]" in b[from,to), or null if the value has no such parameter. */
    static int[] find(byte[] b, int from, int to, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int i = from;
        boolean quoted = false;
        while (i < to) {
            int c = b[i];
            if (quoted) {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
                i++;
                continue;
            }
            if (c == '"') {
                quoted = true;
                i++;
                continue;
            }
            if (c != ';') {
                i++;
                continue;
            }
            int ns = skipLws(b, i + 1, to);
            int ne = ns;
            while (ne < to && Chars.isToken(b[ne])) ne++;
            int p = skipLws(b, ne, to);
            int end = ne;
            if (p < to && b[p] == '=') {
                int v = skipLws(b, p + 1, to);
                int ve = v;
                if (ve < to && b[ve] == '"') {
                    ve++;
                    while (ve < to && b[ve] != '"') ve += b[ve] == '\\' ? 2 : 1;
                    ve = Math.min(to, ve + 1);
                } else {
                    while (ve < to && b[ve] != ';' && !Chars.isLws(b[ve])) ve++;
                }
                end = ve;
            }
            if (ne > ns && Chars.equalsLower(b, ns, ne, lower)) return new int[] {ns, end};
            i = Math.max(end, i + 1);
        }
        return null;
    }

    private static int skipLws(byte[] b, int i, int to) {
        while (i < to && Chars.isLws(b[i])) i++;
        return i;
    }
}
