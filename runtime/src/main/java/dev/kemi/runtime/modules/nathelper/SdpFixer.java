package dev.kemi.runtime.modules.nathelper;

import java.util.ArrayList;
import java.util.List;

/**
 * fix_nated_sdp's edits of an SDP body (Kamailio's ki_fix_nated_sdp_ip): a=direction:active per
 * media section, the nortpproxy line, and the address of the a=rtcp, c= and o= lines, each old
 * address kept as a=oldmediaip when append_sdp_oldmediaip is on. Offsets refer to the body as
 * given, as Kamailio's lumps refer to the received body.
 */
final class SdpFixer {
    static final int ADD_ADIRECTION = 0x01;
    static final int FIX_MEDIP = 0x02;
    static final int ADD_ANORTPPROXY = 0x04;
    static final int FIX_ORGIP = 0x08;

    /** The body would not parse the way fix_nated_sdp needs (Kamailio logs and returns -1). */
    static final class Failure extends Exception {
        Failure(String m) {
            super(m);
        }
    }

    private record Edit(int start, int end, String text) {}

    private final String body;
    /** The body without its trailing CR/LF (extract_body trims them). */
    private final int limit;
    private final List<Edit> edits = new ArrayList<>();
    private int count;

    SdpFixer(String body) {
        this.body = body;
        int l = body.length();
        while (l > 0 && (body.charAt(l - 1) == '\r' || body.charAt(l - 1) == '\n')) l--;
        this.limit = l;
    }

    boolean empty() {
        return limit == 0;
    }

    /** Applies the level's changes; true if any address changed (Kamailio's 1, else 2). */
    boolean fix(int level, String newIp, String nortpproxy, boolean keepOld) throws Failure {
        if ((level & ADD_ADIRECTION) != 0) {
            int m = body.indexOf("\r\nm=");
            while (m >= 0 && m < limit) {
                int next = body.indexOf("\r\nm=", m + 4);
                if (next >= limit) next = -1;
                int at = next < 0 ? limit : next;
                edits.add(new Edit(at, at, "\r\na=direction:active"));
                m = next;
            }
        }
        if ((level & ADD_ANORTPPROXY) != 0 && !nortpproxy.isEmpty()) {
            edits.add(new Edit(limit, limit, "\r\n" + nortpproxy));
        }
        if ((level & (FIX_MEDIP | FIX_ORGIP)) != 0) {
            replace("a=rtcp", newIp, keepOld, true);
            if ((level & FIX_MEDIP) != 0) replace("c=", newIp, keepOld, false);
            if ((level & FIX_ORGIP) != 0) replace("o=", newIp, keepOld, false);
        }
        return count > 0;
    }

    /** replace_sdp_ip: every line starting with prefix, its address after "IP4"/"IP6". */
    private void replace(String prefix, String newIp, boolean keepOld, boolean canOmit) throws Failure {
        Boolean family = null;
        int from = 0;
        while (true) {
            int at = lineStart(prefix, from);
            if (at < 0) return;
            int lineEnd = at;
            while (lineEnd < limit && body.charAt(lineEnd) != '\r' && body.charAt(lineEnd) != '\n') lineEnd++;
            int[] ip = address(at + prefix.length(), lineEnd);
            if (ip == null) {
                if (canOmit) {
                    from = at + prefix.length();
                    continue;
                }
                throw new Failure("no `IP[4|6]' in `" + prefix + "' field");
            }
            boolean v6 = body.charAt(ip[0] - 2) == '6';
            if (family == null) family = v6;
            else if (family != v6) throw new Failure("mismatching address families in '" + prefix + "' SDP");
            // Kamailio passes the old family as the new one: the family is never switched
            alter(ip[0], ip[1], v6, newIp, v6, keepOld, ip[2]);
            from = ip[1];
        }
    }

    /** The first line starting with prefix at or after from (the body's first line counts). */
    private int lineStart(String prefix, int from) {
        int i = from;
        while (true) {
            int at = body.indexOf(prefix, i);
            if (at < 0 || at + prefix.length() > limit) return -1;
            if (at == 0 || body.charAt(at - 1) == '\n' || body.charAt(at - 1) == '\r') return at;
            i = at + prefix.length();
        }
    }

    /** {start, end, familyDigitOffset} of the token after "IP4"/"IP6" in [from,to), or null. */
    private int[] address(int from, int to) {
        int i = from;
        boolean next = false;
        int digit = -1;
        while (i < to) {
            while (i < to && (body.charAt(i) == ' ' || body.charAt(i) == '\t')) i++;
            int e = i;
            while (e < to && body.charAt(e) != ' ' && body.charAt(e) != '\t') e++;
            if (e == i) break;
            if (next) return new int[] {i, e, digit};
            if (e - i == 3 && body.startsWith("IP", i) && (body.charAt(i + 2) == '4' || body.charAt(i + 2) == '6')) {
                next = true;
                digit = i + 2;
            }
            i = e;
        }
        return null;
    }

    /** alter_mediaip. */
    private void alter(int start, int end, boolean oldV6, String newIp, boolean newV6, boolean keepOld, int digit) {
        String old = body.substring(start, end);
        if (oldV6 == newV6 && SdpView.isNullAddress(old, oldV6)) return;
        if (old.equals(newIp)) return;
        if (keepOld) edits.add(new Edit(limit, limit, (oldV6 ? "\r\na=oldmediaip6:" : "\r\na=oldmediaip:") + old));
        if (oldV6 == newV6) edits.add(new Edit(start, end, newIp));
        else edits.add(new Edit(digit, end, (newV6 ? "6 " : "4 ") + newIp));
        count++;
    }

    String apply() {
        List<Edit> sorted = new ArrayList<>(edits);
        // stable: insertions at one offset stay in the order made, before a replacement there
        sorted.sort((a, b) -> a.start != b.start ? Integer.compare(a.start, b.start)
                : Boolean.compare(a.start != a.end, b.start != b.end));
        StringBuilder out = new StringBuilder(body.length() + 64);
        int pos = 0;
        for (Edit e : sorted) {
            if (e.start < pos) continue;
            out.append(body, pos, e.start).append(e.text);
            pos = e.end;
        }
        return out.append(body, pos, body.length()).toString();
    }
}
