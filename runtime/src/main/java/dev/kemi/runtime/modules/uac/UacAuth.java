package dev.kemi.runtime.modules.uac;

import dev.kemi.api.Pv;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.tm.Branch;
import dev.kemi.runtime.modules.tm.TmModule;
import dev.kemi.runtime.modules.tm.Transaction;
import dev.kemi.runtime.sip.SipMessage;

/**
 * uac_auth() in failure_route, as Kamailio 5.6.3's uac_auth_mode: the picked branch's 401/407
 * is answered with credentials for its realm (the AVPs first, then the credential modparams);
 * the request gets the branch's R-URI and the Authorization/Proxy-Authorization header at the
 * end of its headers, for the script's next t_relay(). The CSeq is left as it is.
 */
final class UacAuth {
    private final Credentials credentials;
    private final Pv userAvp, realmAvp, passAvp;

    UacAuth(Credentials credentials, Pv userAvp, Pv realmAvp, Pv passAvp) {
        this.credentials = credentials;
        this.userAvp = userAvp;
        this.realmAvp = realmAvp;
        this.passAvp = passAvp;
    }

    int answer(MessageContext ctx, int mode) {
        Transaction t = Transaction.of(ctx);
        if (t == null) {
            ScriptLog.log(ScriptLog.CRIT, "uac: no current transaction found");
            return -1;
        }
        Branch b = TmModule.pickedBranch(ctx);
        if (b == null) {
            ScriptLog.log(ScriptLog.CRIT, "uac: no picked branch");
            return -1;
        }
        SipMessage rpl = b.finalReply();
        int code = b.lastReceived();
        if (rpl == null) {
            ScriptLog.log(ScriptLog.ERR, "uac: cannot process a FAKED reply");
            return -1;
        }
        String name = code == 401 ? "WWW-Authenticate" : code == 407 ? "Proxy-Authenticate" : null;
        if (name == null) {
            ScriptLog.log(ScriptLog.ERR, "uac: reply is not an auth request");
            return -1;
        }
        String value = rpl.header(name);
        if (value == null) {
            ScriptLog.log(ScriptLog.ERR, "uac: reply has no auth hdr (" + name + ")");
            return -1;
        }
        Challenge c = Challenge.parse(value);
        if (c == null) {
            ScriptLog.log(ScriptLog.ERR, "uac: failed to parse auth hdr body <" + value + ">");
            return -1;
        }
        Credentials.Credential crd = realmAvp != null ? fromAvps(ctx, c.realm()) : null;
        if (crd == null) crd = credentials.forRealm(c.realm());
        if (crd == null) {
            ScriptLog.log(ScriptLog.INFO, "uac: no credential for realm \"" + c.realm() + "\"");
            return -1;
        }
        String hdr = DigestAnswer.header(code, ctx.msg().method(), b.uri(), crd.user(), crd.realm(), crd.password(),
                (mode & 1) != 0, c);
        if (hdr == null) {
            ScriptLog.log(ScriptLog.ERR, "uac: failed to build authorization hdr (qop " + c.qop() + ")");
            return -1;
        }
        ctx.msg().setRequestUri(b.uri());
        ctx.msg().appendHeader(hdr);
        return 1;
    }

    /** get_avp_credential: an empty realm AVP matches any realm; user and password must be set. */
    private Credentials.Credential fromAvps(MessageContext ctx, String realm) {
        String r = str(realmAvp.get(ctx));
        if (r != null && !r.isEmpty() && !r.equals(realm)) return null;
        String u = str(userAvp.get(ctx));
        String p = str(passAvp.get(ctx));
        if (u == null || u.isEmpty() || p == null || p.isEmpty()) return null;
        return new Credentials.Credential(u, r == null || r.isEmpty() ? realm : r, p);
    }

    private static String str(Object v) {
        return v == null ? null : v.toString();
    }
}
