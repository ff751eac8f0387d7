package dev.kemi.runtime.modules.registrar;

import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.usrloc.ContactInfo;
import dev.kemi.runtime.modules.usrloc.UContact;
import dev.kemi.runtime.modules.usrloc.UDomain;
import dev.kemi.runtime.modules.usrloc.URecord;
import dev.kemi.runtime.modules.usrloc.UsrlocApi;
import dev.kemi.runtime.modules.usrloc.UsrlocException;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import java.util.List;

/**
 * One save(): Kamailio's save.c. Checks the REGISTER, updates the AoR's bindings and answers
 * with all current bindings (or the error), unless flag 0x02 says the script replies.
 */
final class Save {
    static final int MEM_ONLY = 1, NO_REPLY = 2, REPLACE = 4, NO_VARIATION = 8, PREPARE_REPLY = 16;
    static final int ALL_FLAGS = 31;

    private final RegistrarModule reg;
    private final RegConfig cfg;
    private final UsrlocApi ul;
    private final MessageContext ctx;
    private final SipMessage msg;
    private final int flags;
    private final RegReply reply;
    private long now;
    private int expiresHeader = -1;
    private String pathVector;
    /** reg-id is stored (false: outbound not in use through the edge proxy, regid_mode 0). */
    private boolean useRegid = true;
    private String pathReceived;
    /** Filled once from the message for every contact (pack_ci's first call). */
    private ContactInfo common;
    private String receivedAvpValue;
    private boolean receivedAvpRead;

    Save(RegistrarModule reg, MessageContext ctx, int flags, RegReply reply) {
        this.reg = reg;
        this.cfg = reg.cfg;
        this.ul = reg.ul;
        this.ctx = ctx;
        this.msg = ctx.msg();
        this.flags = flags;
        this.reply = reply;
    }

    int run(UDomain d, String uriOverride) {
        int ret;
        try {
            ret = save(d, uriOverride);
            reg.accepted.increment();
        } catch (RegError.Failure f) {
            reply.error = f.error;
            reg.rejected.increment();
            if (ctx.routeType() == RouteType.REQUEST && (flags & NO_REPLY) == 0) reply.send(ctx, pathVector);
            else if ((flags & NO_REPLY) != 0) ctx.attach(RegReply.Pending.class, new RegReply.Pending(reply, pathVector));
            return f.error == RegError.TOO_MANY ? -2 : -1;
        }
        if ((flags & NO_REPLY) == 0) {
            if (ctx.routeType() == RouteType.REQUEST || ctx.routeType() == RouteType.FAILURE) {
                if (reply.send(ctx, pathVector) < 0) return -1;
            }
        } else if ((flags & PREPARE_REPLY) != 0) {
            reply.prepare(ctx, pathVector);
        } else {
            ctx.attach(RegReply.Pending.class, new RegReply.Pending(reply, pathVector));
        }
        return ret;
    }

    private int save(UDomain d, String uriOverride) throws RegError.Failure {
        NameAddr to;
        try {
            to = msg.to();
        } catch (SipParseException e) {
            throw new RegError.Failure(RegError.PARSE);
        }
        if (to == null) throw new RegError.Failure(RegError.TO_MISS);
        if (msg.header("Call-ID") == null) throw new RegError.Failure(RegError.CID_MISS);
        if (msg.header("CSeq") == null) throw new RegError.Failure(RegError.CS_MISS);
        String exp = msg.header("Expires");
        if (exp != null) {
            try {
                expiresHeader = Integer.parseInt(exp.strip());
                if (expiresHeader < 0) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw new RegError.Failure(RegError.PARSE_EXP);
            }
        }
        RegContacts contacts = RegContacts.parse(msg, expiresHeader, cfg.contactMaxSize,
                dev.kemi.runtime.modules.ContactRewrite.of(ctx));
        outboundChecks(contacts);
        now = ul.now();
        reply.now = now;
        reply.gruu = cfg.gruuEnabled && tokens(msg.headers("Supported")).contains("gruu");
        String aor = Aor.of(uriOverride != null ? uriOverride : to.uri(), ul.useDomain(), cfg);
        try {
            reply.toHost = SipUri.parse(to.uri()).host();
        } catch (SipParseException e) {
            throw new RegError.Failure(RegError.PARSE);
        }
        if (contacts.entries.isEmpty()) {
            if (contacts.star) {
                star(d, aor);
                return 3;
            }
            withRecord(d, aor, r -> {
                reply.contacts(r);
                return 0;
            }, RegError.UL_GET_R);
            return 4;
        }
        int r = withRecord(d, aor, rec -> rec.contacts().isEmpty() ? insertContacts(rec, contacts) : updateContacts(rec, contacts),
                RegError.UL_GET_R);
        return r == 0 ? 1 : r;
    }

    private interface Work {
        int apply(URecord r) throws RegError.Failure, UsrlocException;
    }

    private static int withRecord(UDomain d, String aor, Work w, RegError dbError) throws RegError.Failure {
        try {
            RegError.Failure[] failed = new RegError.Failure[1];
            int r = d.locked(aor, rec -> {
                try {
                    return w.apply(rec);
                } catch (RegError.Failure f) {
                    failed[0] = f;
                    return 0;
                }
            });
            if (failed[0] != null) throw failed[0];
            return r;
        } catch (UsrlocException e) {
            throw new RegError.Failure(dbError);
        }
    }

    private void star(UDomain d, String aor) throws RegError.Failure {
        withRecord(d, aor, r -> {
            for (UContact c : r.contacts()) r.memOnly(c, (flags & MEM_ONLY) != 0);
            try {
                r.deleteAll();
            } catch (UsrlocException e) {
                reply.contacts(r);
                throw new RegError.Failure(RegError.UL_DEL_R);
            }
            return 0;
        }, RegError.UL_DEL_R);
    }

    /** insert_contacts: a new AoR. On any error its new bindings are dropped again. */
    private int insertContacts(URecord r, RegContacts contacts) throws RegError.Failure {
        int maxc = cfg.maxContacts;
        int num = 0;
        try {
            for (RegContacts.Entry e : contacts.entries) {
                long expires = expires(e, (flags & NO_VARIATION) != 0);
                if (expires == 0) continue;
                if (maxc > 0 && num >= maxc) throw new RegError.Failure(RegError.TOO_MANY);
                num++;
                ContactInfo ci = info(e, expires);
                // several contacts with the same URI in one REGISTER: the later ones update
                ci.cseq++;
                URecord.Match m = r.contacts().isEmpty() ? null : r.findByInstance(e.uri(), ci);
                ci.cseq--;
                if (m == null || m.found() != URecord.Found.FOUND) {
                    try {
                        r.insert(e.uri(), ci);
                    } catch (UsrlocException x) {
                        throw new RegError.Failure(RegError.UL_INS_C);
                    }
                } else {
                    try {
                        r.update(m.contact(), ci);
                    } catch (UsrlocException x) {
                        throw new RegError.Failure(RegError.UL_UPD_C);
                    }
                }
            }
        } catch (RegError.Failure f) {
            try {
                r.deleteAll();
            } catch (UsrlocException ignored) {
                // the failure already answers the REGISTER
            }
            throw f;
        }
        reply.contacts(r);
        return 0;
    }

    /** update_contacts: an AoR with bindings; mode REPLACE keeps only the first new contact. */
    private int updateContacts(URecord r, RegContacts contacts) throws RegError.Failure {
        boolean replace = (flags & REPLACE) != 0;
        try {
            int rc = update(r, contacts, replace);
            reply.contacts(r);
            return rc;
        } catch (RegError.Failure f) {
            reply.contacts(r);
            throw f;
        }
    }

    private int update(URecord r, RegContacts contacts, boolean replace) throws RegError.Failure {
        common = null;
        commonInfo();
        if (!replace && cfg.maxContacts > 0) testMaxContacts(r, contacts);
        int rc = 0;
        for (RegContacts.Entry e : contacts.entries) {
            long expires = expires(e, (flags & NO_VARIATION) != 0);
            ContactInfo ci = info(e, expires);
            URecord.Match m = r.findByInstance(e.uri(), ci);
            if (m.found() == URecord.Found.OLD_CSEQ) throw new RegError.Failure(RegError.INV_CSEQ);
            if (m.found() == URecord.Found.RETRANSMISSION) {
                if (expires != 0 && replace) break;
                continue;
            }
            boolean updated = false;
            if (m.found() == URecord.Found.NOT_FOUND) {
                if (expires == 0) continue;
                UContact c;
                try {
                    c = r.insert(e.uri(), ci);
                } catch (UsrlocException x) {
                    throw new RegError.Failure(RegError.UL_INS_C);
                }
                rc = 1;
                if (replace) {
                    deleteOthers(r, c, false);
                    updated = true;
                }
            } else {
                UContact c = m.contact();
                if (expires == 0) {
                    r.memOnly(c, (flags & MEM_ONLY) != 0);
                    try {
                        r.delete(c);
                    } catch (UsrlocException x) {
                        throw new RegError.Failure(RegError.UL_DEL_C);
                    }
                    rc = 3;
                } else {
                    if (replace) {
                        deleteOthers(r, c, false);
                        updated = true;
                    }
                    if (ci.instance != null && !ci.instance.isEmpty() && !ci.callId.equals(c.callId())) {
                        deleteOthers(r, c, true);
                        updated = true;
                    }
                    try {
                        r.update(c, ci);
                    } catch (UsrlocException x) {
                        throw new RegError.Failure(RegError.UL_UPD_C);
                    }
                    rc = 2;
                }
            }
            if (updated) break;
        }
        return rc;
    }

    private static void deleteOthers(URecord r, UContact keep, boolean sameInstanceOnly) {
        for (UContact c : List.copyOf(r.contacts())) {
            if (c == keep || sameInstanceOnly && !c.instance().equals(keep.instance())) continue;
            try {
                r.delete(c);
            } catch (UsrlocException ignored) {
                // as Kamailio: the others are removed best-effort
            }
        }
    }

    private void testMaxContacts(URecord r, RegContacts contacts) throws RegError.Failure {
        int num = 0;
        for (UContact c : r.contacts()) if (c.valid(now)) num++;
        for (RegContacts.Entry e : contacts.entries) {
            long expires = expires(e, false);
            ContactInfo ci = info(e, expires);
            URecord.Match m = r.findByInstance(e.uri(), ci);
            if (m.found() == URecord.Found.OLD_CSEQ) throw new RegError.Failure(RegError.INV_CSEQ);
            if (m.found() == URecord.Found.RETRANSMISSION) continue;
            if (m.found() == URecord.Found.NOT_FOUND) {
                if (expires != 0) num++;
            } else if (expires == 0) {
                num--;
            }
        }
        if (num > cfg.maxContacts) throw new RegError.Failure(RegError.TOO_MANY);
    }

    /** calc_contact_expires: absolute expiry, or 0 to remove. */
    private long expires(RegContacts.Entry e, boolean novariation) throws RegError.Failure {
        int exp;
        int range;
        Integer param = null;
        if (e.expires() != null && !e.expires().isEmpty()) {
            try {
                param = Integer.parseUnsignedInt(e.expires().strip());
            } catch (NumberFormatException x) {
                param = null;
            }
        }
        if (e.expires() == null || e.expires().isEmpty()) {
            exp = expiresHeader;
            if (exp < 0) {
                exp = cfg.defaultExpires;
                range = cfg.defaultExpiresRange;
            } else {
                range = cfg.expiresRange;
            }
        } else if (param == null) {
            exp = cfg.defaultExpires;
            range = cfg.defaultExpiresRange;
        } else {
            exp = param;
            range = cfg.expiresRange;
        }
        if (exp == 0) return 0;
        if (exp < cfg.minExpires) {
            if (cfg.minExpiresMode) throw new RegError.Failure(RegError.LOW_EXP);
            exp = cfg.minExpires;
        }
        if (!novariation && range != 0) {
            int min = (int) (exp - range / 100f * exp);
            exp = (int) (min + (reg.random.nextInt(100) / 100f) * (exp - min));
            if (exp < cfg.minExpires) exp = cfg.minExpires;
        }
        if (cfg.maxExpires != 0 && exp > cfg.maxExpires) exp = cfg.maxExpires;
        return exp + now;
    }

    /** pack_ci's message part: Call-ID, CSeq, socket, User-Agent, Path, flags. */
    private ContactInfo commonInfo() throws RegError.Failure {
        if (common != null) return common;
        ContactInfo ci = new ContactInfo();
        String callId = msg.callId().stripTrailing();
        if (callId.length() > 255) throw new RegError.Failure(RegError.CALLID_LEN);
        ci.callId = callId;
        try {
            long cseq = msg.cseq().value();
            if (cseq < 0) throw new RegError.Failure(RegError.INV_CSEQ);
            ci.cseq = (int) cseq;
        } catch (SipParseException | RuntimeException e) {
            throw new RegError.Failure(RegError.INV_CSEQ);
        }
        ci.socket = ctx.received().socket() == null ? null : ctx.received().socket().toString();
        ci.tcpconnId = ctx.received().socket() != null && ctx.received().socket().proto().reliable()
                ? ctx.received().connectionId() : -1;
        String ua = msg.header("User-Agent");
        ci.userAgent = ua != null && !ua.isEmpty() && ua.length() < 255 ? ua : "n/a";
        if (cfg.usePath) {
            buildPath();
            if (pathVector != null) ci.path = pathVector;
        }
        ci.lastModified = now;
        ci.flags = (flags & MEM_ONLY) != 0 ? UContact.FL_MEM : 0;
        ci.cflags = ctx.branchFlags();
        if (pathReceived != null) {
            ci.cflags |= ul.natFlag();
            ci.received = pathReceived;
        }
        ci.serverId = ul.serverId();
        ci.methods = Methods.allowed(msg.headerValues("Allow"));
        common = ci;
        return ci;
    }

    /** The whole contact info of one binding: pack_ci for a contact. */
    private ContactInfo info(RegContacts.Entry e, long expires) throws RegError.Failure {
        ContactInfo base = commonInfo();
        ContactInfo ci = new ContactInfo();
        ci.callId = base.callId;
        ci.cseq = base.cseq;
        ci.socket = base.socket;
        ci.tcpconnId = base.tcpconnId;
        ci.userAgent = base.userAgent;
        ci.path = base.path;
        ci.lastModified = base.lastModified;
        ci.flags = base.flags;
        ci.cflags = base.cflags;
        ci.serverId = base.serverId;
        ci.uri = e.uri();
        ci.expires = expires;
        if (e.q() == null || e.q().isEmpty()) {
            ci.q = cfg.defaultQ;
        } else {
            int q = QValue.parse(e.q());
            if (q < 0) throw new RegError.Failure(RegError.INV_Q);
            ci.q = q;
        }
        if (reg.qOverride(ctx) != null) ci.q = reg.qOverride(ctx);
        ci.methods = e.methods() != null ? Methods.parse(e.methods()) : base.methods;
        if (base.received != null) {
            ci.received = base.received;
        } else if (e.received() != null) {
            ci.received = e.received();
        } else {
            ci.received = receivedAvp();
        }
        if (e.instance() != null && !e.instance().isEmpty()) {
            ci.instance = e.instance();
            if (useRegid && e.regId() != null && !e.regId().isEmpty()) {
                try {
                    ci.regId = Integer.parseInt(e.regId().strip());
                } catch (NumberFormatException x) {
                    ci.regId = 0;
                }
                if (ci.regId == 0) throw new RegError.Failure(RegError.INV_REGID);
            }
        }
        ci.ruid = ul.newRuid();
        return ci;
    }

    private String receivedAvp() throws RegError.Failure {
        if (!receivedAvpRead) {
            receivedAvpRead = true;
            Object v = cfg.receivedAvp == null ? null : reg.avp(ctx, cfg.receivedAvp);
            String s = v == null ? null : v.toString();
            if (s != null && s.length() > 255) throw new RegError.Failure(RegError.CONTACT_LEN);
            receivedAvpValue = s == null || s.isEmpty() ? null : s;
        }
        return receivedAvpValue;
    }

    /**
     * RFC 5626 as save.c: a UA that lists Supported without outbound when we require it (421),
     * one that requires it when we do not support it (420); through an edge proxy (a second
     * Via), outbound needs ;ob on the top Path URI, else reg-id is ignored or, when the UA asks
     * for outbound with reg-id and regid_mode is 0, refused (439).
     */
    private void outboundChecks(RegContacts contacts) throws RegError.Failure {
        boolean hasSupported = !msg.headers("Supported").isEmpty();
        boolean supported = tokens(msg.headers("Supported")).contains("outbound");
        if (hasSupported && !supported && cfg.outboundMode == 2) throw new RegError.Failure(RegError.OB_UNSUP);
        if (tokens(msg.headers("Require")).contains("outbound") && cfg.outboundMode == 0) throw new RegError.Failure(RegError.OB_REQD);
        if (cfg.outboundMode == 0 || msg.headers("Contact").isEmpty() || !secondVia()) return;
        boolean useOb = false;
        List<String> paths = msg.headers("Path");
        if (!paths.isEmpty()) {
            try {
                List<String> hops = RegContacts.split(paths.get(0));
                if (hops.isEmpty()) throw new RegError.Failure(RegError.PARSE_PATH);
                useOb = NameAddr.parse(hops.get(0)).parsedUri().params().containsKey("ob");
            } catch (SipParseException e) {
                throw new RegError.Failure(RegError.PARSE_PATH);
            }
        }
        if (contacts.entries.isEmpty() || useOb || cfg.regidMode != 0) return;
        String regId = contacts.entries.get(0).regId();
        if (supported && regId != null) throw new RegError.Failure(RegError.OB_UNSUP_EDGE);
        useRegid = false;
    }

    private boolean secondVia() {
        try {
            return msg.vias().size() > 1;
        } catch (SipParseException e) {
            return false;
        }
    }

    /** build_path_vector: the Path headers joined by ','; the first hop must be a loose router. */
    private void buildPath() throws RegError.Failure {
        List<String> paths = msg.headers("Path");
        if (paths.isEmpty()) return;
        String joined = String.join(",", paths);
        try {
            List<String> hops = RegContacts.split(joined);
            if (hops.isEmpty()) throw new RegError.Failure(RegError.PARSE_PATH);
            SipUri first = NameAddr.parse(hops.get(0)).parsedUri();
            if (first.param("lr") == null) throw new RegError.Failure(RegError.PARSE_PATH);
            if (cfg.pathUseReceived) {
                String rcv = first.param("received");
                if (rcv != null && !rcv.isEmpty()) pathReceived = java.net.URLDecoder.decode(rcv, java.nio.charset.StandardCharsets.UTF_8);
            }
        } catch (SipParseException e) {
            throw new RegError.Failure(RegError.PARSE_PATH);
        }
        pathVector = joined;
        reply.pathFromRequest = cfg.pathMode != 0;
    }

    static java.util.Set<String> tokens(List<String> headers) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String h : headers) for (String t : h.split(",")) out.add(t.strip().toLowerCase(java.util.Locale.ROOT));
        return out;
    }
}
