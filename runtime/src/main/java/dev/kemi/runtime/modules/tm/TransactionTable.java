package dev.kemi.runtime.modules.tm;

import dev.kemi.runtime.core.Failures;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.Via;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live transactions, found by server-side key (requests, ACK, CANCEL) and by our id (replies,
 * whose top Via carries our branch).
 *
 * <p>Server key per RFC 3261 §17.2.3: top Via branch (with the z9hG4bK cookie) + sent-by + method,
 * ACK counting as INVITE. Peers without the cookie (RFC 2543) are matched on Request-URI, From
 * tag, Call-ID, CSeq number, top Via and method instead; the To tag is left out so that an ACK,
 * which carries the tag of our reply, finds its INVITE.
 */
final class TransactionTable {
    static final String COOKIE = "z9hG4bK";
    private final ConcurrentHashMap<String, Transaction> byKey = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Transaction> byId = new ConcurrentHashMap<>();
    /** INVITE transactions by Call-ID, CSeq number and From tag: ACKs for their 2xx. */
    private final ConcurrentHashMap<String, Transaction> byDialog = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong(new SecureRandom().nextInt() & 0x7fffffffL);
    /** Transactions by Kamailio's (hash index, label) pair, for t_continue(). */
    private final ConcurrentHashMap<Long, Transaction> byLabel = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger nextLabel = new java.util.concurrent.atomic.AtomicInteger(
            new SecureRandom().nextInt() & 0x7fffffff);

    String newId() {
        return Long.toHexString(next.incrementAndGet());
    }

    /** Key of a request for the given method ("INVITE" to find what an ACK or CANCEL refers to). */
    static String key(SipMessage m, String method) throws SipParseException {
        Via v = m.topVia();
        String br = v.branch();
        if (br != null && br.length() > COOKIE.length() && br.regionMatches(true, 0, COOKIE, 0, COOKIE.length())) {
            return br + '|' + v.host().toLowerCase(Locale.ROOT) + ':' + v.port() + '|' + method;
        }
        NameAddr from = m.from();
        return "2543|" + m.originalRequestUri() + '|' + from.tag() + '|' + m.callId() + '|'
                + m.cseq().number() + '|' + v.text() + '|' + method;
    }

    /** Key for matching: ACK counts as its INVITE. */
    static String requestKey(SipMessage m) throws SipParseException {
        String method = m.method();
        return key(m, "ACK".equals(method) ? "INVITE" : method);
    }

    Transaction byKey(String key) {
        return key == null ? null : byKey.get(key);
    }

    Transaction byId(String id) {
        return byId.get(id);
    }

    private static String dialogKey(SipMessage m) throws SipParseException {
        return m.callId() + '|' + m.cseq().number() + '|' + m.from().tag();
    }

    /** The INVITE transaction an ACK for a 2xx refers to, or null. */
    Transaction byDialog(SipMessage ack) {
        try {
            return byDialog.get(dialogKey(ack));
        } catch (SipParseException | RuntimeException e) {
            Failures.handled("tm: byDialog", e);
            return null;
        }
    }

    Transaction byLabel(int index, int label) {
        return byLabel.get(((long) index << 32) | (label & 0xffffffffL));
    }

    void add(Transaction t) {
        // as Kamailio: the hash of Call-ID and CSeq number over 2^16 entries, a label per cell
        String cseq;
        try {
            cseq = t.request().cseq().number();
        } catch (SipParseException | RuntimeException e) {
            cseq = "";
        }
        t.hashIndex = ((t.callId == null ? 0 : t.callId.hashCode()) * 31 + cseq.hashCode()) & 0xffff;
        t.label = nextLabel.getAndIncrement() & 0x7fffffff;
        byLabel.put(((long) t.hashIndex << 32) | t.label, t);
        byKey.put(t.key, t);
        byId.put(t.id, t);
        if (t.invite) {
            try {
                t.dialogKey = dialogKey(t.request());
                byDialog.put(t.dialogKey, t);
            } catch (SipParseException | RuntimeException e) {
                Failures.handled("tm: add", e);
                // no e2e ACK matching for a request without From tag
            }
        }
    }

    void remove(Transaction t) {
        byLabel.remove(((long) t.hashIndex << 32) | t.label, t);
        byKey.remove(t.key, t);
        byId.remove(t.id, t);
        if (t.dialogKey != null) byDialog.remove(t.dialogKey, t);
    }

    /** An INVITE transaction by Call-ID and CSeq number (t_reply_callid and friends; a scan). */
    Transaction findInvite(String callId, String cseq) {
        for (Transaction t : byId.values()) {
            try {
                if (t.invite && callId.equals(t.callId) && t.request().cseq().number().equals(cseq)) return t;
            } catch (SipParseException | RuntimeException e) {
                Failures.handled("tm: findInvite", e);
                // not a candidate
            }
        }
        return null;
    }

    int size() {
        return byId.size();
    }

    /** Our Via branch value for a branch of a transaction. */
    static String viaBranch(String txId, int index) {
        return COOKIE + txId + '.' + index;
    }

    /** Transaction and branch index a reply's top Via names, or null if the Via is not ours. */
    static ViaBranchId parseViaBranch(String branch) {
        if (branch == null || !branch.startsWith(COOKIE)) return null;
        int dot = branch.lastIndexOf('.');
        if (dot <= COOKIE.length() || dot == branch.length() - 1) return null;
        int index;
        try {
            index = Integer.parseInt(branch, dot + 1, branch.length(), 10);
        } catch (NumberFormatException e) {
            return null; // not a branch of ours
        }
        return new ViaBranchId(branch.substring(COOKIE.length(), dot), index);
    }
}
