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
 * handled by the worker that owns the Call-ID, and tm's timers run on that worker too
 * (ProxyServices.workerTimers(), the proxy's timer wheel). A transaction is therefore only ever
 * touched by one thread at a time and carries no lock; the tables holding transactions are
 * concurrent.
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
    /** Key of an INVITE in the table's e2e-ACK index (Call-ID, CSeq number, From tag); null if not indexed. */
    String dialogKey;
    final UasSide uas;
    final ArmedRoutes routes;
    final TxSettings settings = new TxSettings();
    final CancelState cancel = new CancelState();
    final Lifecycle life = new Lifecycle();
    final DropReplies drop = new DropReplies();
    final SuspendState suspend = new SuspendState();
    /** Set at the first forward; null before. */
    RequestSnapshot snapshot;
    /** Message flags kept with the transaction. */
    int flags;
    /** The $avp store of the request: failure and reply routes see what request_route set. */
    final AvpStore avps;
    /** The $xavp lists of the request: failure routes see (and change) what request_route set, as Kamailio's t->xavps_list. */
    final dev.kemi.runtime.modules.pv.XavpStore.Lists xavps;

    /**
     * A transaction for the request of {@code requestCtx}, with the routes it armed; its $avp and
     * $xavp stores so far belong to the transaction from now on.
     */
    Transaction(String id, String key, MessageContext requestCtx, long now, String toTag, ArmedRoutes routes) {
        this.id = id;
        this.key = key;
        this.requestCtx = requestCtx;
        SipMessage m = requestCtx.msg();
        this.callId = m.callId();
        this.method = m.method();
        this.invite = "INVITE".equals(method);
        this.createdAt = now;
        this.uas = new UasSide(toTag);
        this.routes = routes;
        this.flags = requestCtx.flags();
        this.avps = AvpStore.of(requestCtx);
        this.xavps = dev.kemi.runtime.modules.pv.XavpStore.of(requestCtx);
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
    public String localToTag() { return uas.toTag; }

    /** Status of the last reply sent upstream, 0 if none. */
    public int status() { return uas.status; }

    public List<Branch> branches() { return branches; }

    /** Message flags kept with the transaction (t_flush_flags; failure_route starts with them). */
    public int flags() { return flags; }

    public void setFlags(int flags) { this.flags = flags; }

    public boolean canceled() { return cancel.canceled; }

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
