package dev.kemi.runtime.modules.dialog;

import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.tm.TmUac;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Requests the dialog module sends within a dialog (BYE), as dlg_req_within.c hands them to tm's
 * t_request_within: to a leg's contact through its route set, From/To/tags as the other leg,
 * CSeq one above the other leg's, Max-Forwards then the extra headers. tm sends them and reports
 * the final code.
 */
final class DlgRequests {
    private final TmUac tm;
    /** lreq_callee_headers: extra headers of requests to the callee. */
    private final String calleeHeaders;

    DlgRequests(TmUac tm, String calleeHeaders) {
        this.tm = tm;
        this.calleeHeaders = calleeHeaders;
    }

    /** Sends {@code method} to the leg ({@link Dialog#CALLER} or CALLEE); false when it cannot be built or sent. */
    boolean send(Dialog d, int leg, String method, String extraHeaders, IntConsumer done) {
        String target = d.contact[leg];
        if (target == null || target.isEmpty()) {
            ScriptLog.log(ScriptLog.ERR, "dialog: no contact available");
            return false;
        }
        int other = 1 - leg;
        long cseq;
        try {
            cseq = Long.parseLong(d.cseq[other] == null ? "0" : d.cseq[other].trim()) + 1;
        } catch (NumberFormatException e) {
            ScriptLog.log(ScriptLog.ERR, "dialog: invalid cseq");
            return false;
        }
        if ((d.iflags & Dialog.IFLAG_PRACK) != 0) cseq += 80;
        String locUri = leg == Dialog.CALLER ? d.toUri : d.fromUri;
        String remUri = leg == Dialog.CALLER ? d.fromUri : d.toUri;
        StringBuilder headers = new StringBuilder("Max-Forwards: 70\r\n");
        for (String extra : new String[] {extraHeaders, leg == Dialog.CALLEE ? calleeHeaders : null}) {
            if (extra == null) continue;
            for (String h : extra.split("\r?\n")) if (!h.isBlank()) headers.append(h.trim()).append("\r\n");
        }
        TmUac.Dlg dlg = new TmUac.Dlg(d.callId, locUri, d.tag[other], remUri, d.tag[leg], cseq, routes(d.routeSet[leg]));
        return tm.request(new TmUac.Request(method, target, dlg, headers.toString(), null, null, d.bindAddr[leg]),
                reply -> done.accept(reply.code()));
    }

    /** The name-addrs of a stored route set ("<sip:a;lr>,<sip:b;lr>"). */
    static List<String> routes(String set) {
        List<String> out = new ArrayList<>();
        if (set == null || set.isBlank()) return out;
        StringBuilder cur = new StringBuilder();
        boolean inAngle = false, inQuote = false;
        for (char c : set.toCharArray()) {
            if (c == '"' && !inAngle) inQuote = !inQuote;
            if (c == '<' && !inQuote) inAngle = true;
            if (c == '>' && !inQuote) inAngle = false;
            if (c == ',' && !inAngle && !inQuote) {
                if (!cur.toString().isBlank()) out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.toString().isBlank()) out.add(cur.toString().trim());
        return out;
    }
}
