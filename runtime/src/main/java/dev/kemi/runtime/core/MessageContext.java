package dev.kemi.runtime.core;

import dev.kemi.runtime.transport.ReceiveInfo;
import dev.kemi.api.RouteType;
import dev.kemi.api.ScriptContext;
import dev.kemi.runtime.sip.SipMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * One message being processed by a script: the message, where it came from, and the per-message
 * state Kamailio keeps in sip_msg (flags, $du, forwarding flags, branches, drop). Exported
 * functions take this as their first parameter.
 */
public final class MessageContext implements ScriptContext {
    private SipMessage msg;
    private ReceiveInfo received;
    private final ProxyServices services;
    private int routeType = RouteType.REQUEST;
    private boolean dropped;

    /** Message flags (setflag/isflagset), 32 bits as in Kamailio. */
    private int flags;
    /** Branch-0 flags (setbflag). */
    private int branchFlags;
    /** Script flags (setsflag). */
    private int scriptFlags;
    /** $du; null if unset. */
    private String dstUri;
    /** set_forward_no_connect / set_forward_close / set_reply_no_connect / set_reply_close. */
    private boolean forwardNoConnect, forwardClose, replyNoConnect, replyClose;
    /** force_rport() was called. */
    private boolean forceRport;
    /** Extra branches from append_branch (R-URIs), Kamailio's destination set. */
    private final List<String> branches = new ArrayList<>();
    /** Attributes of {@link #branches}, same index; shorter (or null entries) where a branch has none. */
    private final List<BranchAttrs> branchAttrs = new ArrayList<>(0);
    /** Path vector of the R-URI branch (lookup() of a contact registered with Path), sent as Route. */
    private String pathVector;
    private int ruriQ = -1;
    /** A reply was sent for this request (stateless or stateful), for the implicit action. */
    private boolean replied;
    /** The request was forwarded (stateless or by tm), for the implicit action. */
    private boolean forwarded;
    /**
     * Module state attached to this message (tm transaction, rr state ...) as pairs (module class,
     * value): a handful per message, and a transaction keeps its request's for the 5 s wait, so one
     * array rather than a map of nodes to copy at each young GC.
     */
    private Object[] attachments = new Object[8];
    private int attached;

    public MessageContext(SipMessage msg, ReceiveInfo received, ProxyServices services) {
        this.msg = msg;
        this.received = received;
        this.services = services;
    }

    public SipMessage msg() { return msg; }

    /** textopsx msg_apply_changes: the message re-parsed with its edits applied replaces it. */
    public void replaceMessage(SipMessage m) { this.msg = m; }

    public ReceiveInfo received() { return received; }

    /** corex set_recv_socket / set_source_address: the message is seen as received there from now on. */
    public void received(ReceiveInfo r) { this.received = r; }

    public ProxyServices services() { return services; }

    @Override
    public int routeType() { return routeType; }

    public void routeType(int type) { this.routeType = type; }

    @Override
    public void setDrop() { dropped = true; }

    @Override
    public boolean isDropped() { return dropped; }

    public void clearDrop() { dropped = false; }

    @Override
    public boolean isMyself(String value, boolean nativeDefaultPort) {
        return Myself.check(services, value, nativeDefaultPort);
    }

    /** Message flags ($mf), all 32 bits. */
    public int flags() { return flags; }

    public void setFlags(int flags) { this.flags = flags; }

    /** setflag(f): f in 0..31, checked by the caller. */
    public void setFlag(int f) { flags |= 1 << f; }

    public void resetFlag(int f) { flags &= ~(1 << f); }

    public boolean isFlagSet(int f) { return (flags & (1 << f)) != 0; }

    /** Branch-0 flags ($bf), all 32 bits. */
    public int branchFlags() { return branchFlags; }

    public void setBranchFlags(int flags) { this.branchFlags = flags; }

    /** Adds the bits of mask to the branch-0 flags (a contact's cflags on lookup). */
    public void addBranchFlags(int mask) { branchFlags |= mask; }

    public void setBranchFlag(int f) { branchFlags |= 1 << f; }

    public void resetBranchFlag(int f) { branchFlags &= ~(1 << f); }

    public boolean isBranchFlagSet(int f) { return (branchFlags & (1 << f)) != 0; }

    /** Script flags ($sf), all 32 bits. */
    public int scriptFlags() { return scriptFlags; }

    public void setScriptFlags(int flags) { this.scriptFlags = flags; }

    public void setScriptFlag(int f) { scriptFlags |= 1 << f; }

    public void resetScriptFlag(int f) { scriptFlags &= ~(1 << f); }

    public boolean isScriptFlagSet(int f) { return (scriptFlags & (1 << f)) != 0; }

    /** $du, or null if unset. */
    public String dstUri() { return dstUri; }

    /** Sets $du; null resets it. */
    public void setDstUri(String uri) { this.dstUri = uri; }

    /** Path vector of the R-URI branch, or null. */
    public String pathVector() { return pathVector; }

    public void setPathVector(String path) { this.pathVector = path; }

    public boolean forwardNoConnect() { return forwardNoConnect; }

    public void setForwardNoConnect(boolean on) { this.forwardNoConnect = on; }

    public boolean forwardClose() { return forwardClose; }

    public void setForwardClose(boolean on) { this.forwardClose = on; }

    public boolean replyNoConnect() { return replyNoConnect; }

    public void setReplyNoConnect(boolean on) { this.replyNoConnect = on; }

    public boolean replyClose() { return replyClose; }

    public void setReplyClose(boolean on) { this.replyClose = on; }

    /** force_rport() was called, or the global force_rport is on: replies go to the source port. */
    public boolean forceRport() { return forceRport || services != null && services.forceRport(); }

    public void setForceRport(boolean on) { this.forceRport = on; }

    /** A reply was sent for this request (stateless or stateful). */
    public boolean replied() { return replied; }

    public void markReplied() { this.replied = true; }

    /** The request was forwarded (stateless or by tm). */
    public boolean forwarded() { return forwarded; }

    public void markForwarded() { this.forwarded = true; }

    /** q-value of the R-URI branch in thousandths, -1 unspecified (Kamailio's ruri_q; lookup() sets it). */
    public int ruriQ() { return ruriQ; }

    public void setRuriQ(int q) { this.ruriQ = q; }

    /** The destination set (append_branch R-URIs), in order; read-only. */
    public List<String> branches() { return java.util.Collections.unmodifiableList(branches); }

    /** append_branch(): a branch without attributes. */
    public void appendBranch(String uri) { branches.add(uri); }

    /** Appends a branch with its attributes (lookup() with append_branches). */
    public void appendBranch(String uri, BranchAttrs attrs) {
        while (branchAttrs.size() < branches.size()) branchAttrs.add(null);
        branches.add(uri);
        branchAttrs.add(attrs);
    }

    /** The attributes of branch i, or null. */
    public BranchAttrs branchAttrs(int i) {
        return i < branchAttrs.size() ? branchAttrs.get(i) : null;
    }

    /** $branch(...)[i] assignment: branch i gets this URI and these attributes. */
    public void setBranch(int i, String uri, BranchAttrs attrs) {
        while (branchAttrs.size() < branches.size()) branchAttrs.add(null);
        branches.set(i, uri);
        branchAttrs.set(i, attrs);
    }

    /** drop_sip_branch: branch i leaves the destination set, the later ones move up. */
    public void dropBranch(int i) {
        branches.remove(i);
        if (i < branchAttrs.size()) branchAttrs.remove(i);
    }

    /** Empties the destination set (tm consumed it). */
    public void clearBranches() {
        ruriQ = -1;
        branches.clear();
        branchAttrs.clear();
    }

    /** State a module keeps per message, created on first use. */
    @SuppressWarnings("unchecked")
    public <T> T attachment(Class<T> type, java.util.function.Supplier<T> create) {
        int i = slotOf(type);
        if (i >= 0 && attachments[i + 1] != null) return type.cast(attachments[i + 1]);
        T v = create.get();
        if (v != null) attach(type, v);
        return v;
    }

    /** State a module keeps per message, or null. */
    public <T> T attachment(Class<T> type) {
        int i = slotOf(type);
        return i < 0 ? null : type.cast(attachments[i + 1]);
    }

    public <T> void attach(Class<T> type, T value) {
        int i = slotOf(type);
        if (i < 0) {
            if (attached == attachments.length) attachments = java.util.Arrays.copyOf(attachments, attached * 2);
            i = attached;
            attached += 2;
            attachments[i] = type;
        }
        attachments[i + 1] = value;
    }

    private int slotOf(Class<?> type) {
        for (int i = 0; i < attached; i += 2) if (attachments[i] == type) return i;
        return -1;
    }
}
