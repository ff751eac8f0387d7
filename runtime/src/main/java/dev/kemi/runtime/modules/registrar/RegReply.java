package dev.kemi.runtime.modules.registrar;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.sl.LocalReply;
import dev.kemi.runtime.modules.sl.ReplyExtras;
import dev.kemi.runtime.modules.sl.StatefulReplier;
import dev.kemi.runtime.modules.usrloc.CoreHash;
import dev.kemi.runtime.modules.usrloc.UContact;
import dev.kemi.runtime.modules.usrloc.URecord;
import java.util.List;

/**
 * The registrar's reply (reply.c): a Contact header listing every valid binding with its
 * remaining expires, Path when asked, P-Registrar-Error (and Retry-After, Min-Expires) on errors.
 */
final class RegReply {
    private final RegConfig cfg;
    RegError error = RegError.FINE;
    long now;
    boolean gruu;
    String toHost = "";
    /** The Contact header line (without CRLF), or null. */
    String contactLine;
    boolean pathFromRequest;

    /** A reply save() was told not to send (flag 0x02), for reg_send_reply(). */
    record Pending(RegReply reply, String path) {}

    RegReply(RegConfig cfg) {
        this.cfg = cfg;
    }

    /** build_contact over the record's bindings (none valid: no Contact header). */
    void contacts(URecord r) {
        contactLine = build(r.contacts());
    }

    private String build(List<UContact> contacts) {
        StringBuilder b = new StringBuilder();
        for (UContact c : contacts) {
            if (!c.valid(now)) continue;
            b.append(b.isEmpty() ? "Contact: " : ", ");
            b.append('<').append(c.contact()).append('>');
            String q = QValue.toText(c.q());
            if (!q.isEmpty()) b.append(";q=").append(q);
            b.append(";expires=").append((int) (c.expires() - now));
            if (!cfg.receivedParam.isEmpty() && !c.received().isEmpty()) {
                b.append(';').append(cfg.receivedParam).append("=\"").append(c.received()).append('"');
            }
            if (cfg.gruuEnabled && gruu && !c.instance().isEmpty()) appendGruu(b, c);
            if (!c.instance().isEmpty()) b.append(";+sip.instance=\"").append(c.instance()).append('"');
            if (c.regId() > 0) b.append(";reg-id=").append(c.regId());
        }
        return b.isEmpty() ? null : b.toString();
    }

    private void appendGruu(StringBuilder b, UContact c) {
        String aor = c.aor();
        int at = aor.indexOf('@');
        String inst = c.instance();
        if (inst.length() >= 2 && inst.charAt(0) == '<' && inst.charAt(inst.length() - 1) == '>') {
            inst = inst.substring(1, inst.length() - 1);
        }
        b.append(";pub-gruu=\"sip:").append(at >= 0 ? aor : aor + "@" + toHost).append(";gr=").append(inst).append('"');
        b.append(";temp-gruu=\"sip:").append(c.ruid()).append('-');
        int h = CoreHash.of(aor);
        while (h != 0) {
            int d = h & 0x0f;
            b.append((char) (d >= 10 ? 'a' + d - 10 : '0' + d));
            h >>>= 4;
        }
        b.append('@').append(toHost).append(";gr\"");
    }

    /** reg_send_reply. */
    int send(MessageContext ctx, String pathVector) {
        prepare(ctx, pathVector);
        int code = error.code;
        String reason = error.reason();
        StatefulReplier tm = ctx.services().optionalApi(StatefulReplier.class).orElse(null);
        if (tm != null) {
            int r = tm.replyIfTransaction(ctx, code, reason);
            if (r != StatefulReplier.NO_TRANSACTION) return r < 0 ? -1 : 1;
        }
        return LocalReply.send(ctx, code, reason) < 0 ? -1 : 1;
    }

    /** outbound_mode 2: always Require and Supported; 1: Supported, and Require when the UA named outbound. */
    private void outboundHeaders(MessageContext ctx, ReplyExtras x) {
        if (cfg.outboundMode == 0) return;
        boolean require = cfg.outboundMode == 2 || Save.tokens(ctx.msg().headers("Require")).contains("outbound")
                || Save.tokens(ctx.msg().headers("Supported")).contains("outbound");
        if (cfg.outboundMode == 2) x.headers.add("Require: outbound");
        x.headers.add("Supported: outbound");
        if (cfg.outboundMode == 1 && require) x.headers.add("Require: outbound");
        if (require && cfg.flowTimer > 0) x.headers.add("Flow-Timer: " + cfg.flowTimer);
    }

    /** Adds the reply headers to the request's reply lumps (reg_prepare_reply). */
    void prepare(MessageContext ctx, String pathVector) {
        ReplyExtras x = ReplyExtras.of(ctx);
        if (contactLine != null) {
            x.headers.add(contactLine);
            contactLine = null;
        }
        boolean fine = error == RegError.FINE;
        if (error == RegError.FINE && cfg.usePath && pathVector != null && cfg.pathMode != 0) {
            java.util.Set<String> supported = Save.tokens(ctx.msg().headers("Supported"));
            if (supported.contains("path")) {
                x.headers.add("Path: " + pathVector);
            } else if (cfg.pathMode == 2) {
                error = RegError.PATH_UNSUP;
                x.headers.add("Unsupported: path");
                x.headers.add("Path: " + pathVector);
            }
        }
        if (fine) outboundHeaders(ctx, x);
        if (error == RegError.OB_UNSUP) {
            x.headers.add("Require: outbound");
            x.headers.add("Supported: outbound");
        }
        if (error == RegError.OB_REQD) x.headers.add("Unsupported: outbound");
        if (error == RegError.LOW_EXP) x.headers.add("Min-Expires: " + cfg.minExpires);
        if (error.code != 200) {
            x.headers.add("P-Registrar-Error: " + error.info);
            if (error.code >= 500 && cfg.retryAfter != 0) x.headers.add("Retry-After: " + cfg.retryAfter);
        }
    }
}
