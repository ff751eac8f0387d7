package dev.kemi.runtime.modules.tm;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.pv.AvpStore;
import dev.kemi.runtime.sip.SipMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * A proxied request: the server transaction facing upstream and its branches (client
 * transactions) facing downstream.
 *
 * <p>Threading: every message of a call (request, retransmissions, ACK, CANCEL, replies) is
 * handled by the worker that owns the Call-ID, and tm's timers hand their work to that worker
 * too (ProxyServices.runOnWorker(callId, ...)). A transaction is therefore only ever touched by
 * one thread at a time and carries no lock; the tables holding transactions are concurrent.
 */
public final class Transaction {
    final String id;
    final String key;
    final String callId;
    final String method;
    final boolean invite;
    /** The request_route context of the request that created the transaction. */
    final MessageContext requestCtx;
    final long createdAt;
    final List<Branch> branches = new ArrayList<>(2);
    /** Kamailio's hash_index and label ($T(id_index), $T(id_label)): t_continue() finds the transaction by them. */
    int hashIndex, label;
    /** t_suspend(): waiting for t_continue(); the blind branch holding the fr timer; R-URI still unused then. */
    volatile boolean suspended;
    Branch blind;
    boolean suspendedRuriNew;
    /** The request with request_route's changes as at the first forward; failure_route works on copies. */
    SipMessage snapshot;
    String snapshotDu;
    int flags;
    int uasStatus;
    byte[] lastReply;
    String toTag;
    String onFailure, onBranch, onReply, onBranchFailure;
    boolean autoInv100;
    boolean disableInternalReply;
    boolean disable6xx;
    boolean noE2eCancelReason;
    boolean canceled;
    /** t_replicate(): a copy sent on; downstream replies and tm's own finals are not sent upstream. */
    boolean replicated;
    boolean got6xx;
    boolean waiting;
    boolean deleted;
    /** Request-level ACK for a negative final was received (or the reply was 2xx). */
    boolean acked;
    int frTimeout, frInvTimeout;
    int retrT1, retrT2, maxLifetime;
    /** Index of the first branch of the last t_relay (t_drop_replies("l")). */
    int lastBranchSet;
    /** While failure_route runs: which replies to drop after it (failure_reply_mode, t_drop_replies()). */
    int dropReplies;
    /** faked_reply_prio: added to the priority of tm's own replies when picking the winner. */
    int fakedReplyPrio;
    TmScheduler.Timer waitTimer, uasRetr, uasAckWait, lifetime;
    long uasRetrInterval;
    AvpStore avps;
    /** The $xavp lists of the request: failure routes see (and change) what request_route set, as Kamailio's t->xavps_list. */
    dev.kemi.runtime.modules.pv.XavpStore.Lists xavps;

    Transaction(String id, String key, MessageContext requestCtx, long now) {
        this.id = id;
        this.key = key;
        this.requestCtx = requestCtx;
        SipMessage m = requestCtx.msg();
        this.callId = m.callId();
        this.method = m.method();
        this.invite = "INVITE".equals(method);
        this.createdAt = now;
    }

    /** The transaction the message belongs to (request, failure/branch/tm-onreply route), or null. */
    public static Transaction of(MessageContext ctx) {
        TmState s = ctx.attachment(TmState.class);
        return s == null ? null : s.tx;
    }

    /** The request that created the transaction, as received ($T_req). */
    public SipMessage request() { return requestCtx.msg(); }

    public String method() { return method; }

    /** Kamailio's transaction identifiers: hash index and label. */
    public int hashIndex() { return hashIndex; }

    public int label() { return label; }

    /** The request_route context of the request ($si, $Ri ... of the request). */
    public MessageContext requestContext() { return requestCtx; }

    /** The To-tag of tm's own replies. */
    public String localToTag() { return toTag; }

    /** Status of the last reply sent upstream, 0 if none. */
    public int status() { return uasStatus; }

    public List<Branch> branches() { return branches; }

    /** Message flags kept with the transaction (t_flush_flags; failure_route starts with them). */
    public int flags() { return flags; }

    public void setFlags(int flags) { this.flags = flags; }

    public boolean canceled() { return canceled; }

    /** The transaction's $avp store: failure and reply routes see what request_route set. */
    public AvpStore avps() {
        return avps;
    }

    boolean allBranchesFinal() {
        for (Branch b : branches) if (b.pending()) return false;
        return true;
    }

    int pendingBranches() {
        int n = 0;
        for (Branch b : branches) if (b.pending()) n++;
        return n;
    }
}
