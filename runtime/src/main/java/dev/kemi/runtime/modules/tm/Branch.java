package dev.kemi.runtime.modules.tm;

import dev.kemi.runtime.core.WorkerTimers;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.transport.Destination;

/** One client transaction of a proxied request (a tm "uac"): where it went and what came back. */
public final class Branch {
    final int index;
    /** Branch id in our Via: z9hG4bK + transaction id + "." + index. */
    final String viaBranch;
    String uri;
    String dstUri;
    /** +sip.instance of the contact this branch went to (t_next_contact_flow), null if none. */
    String instance;
    Destination dst;
    byte[] bytes;
    /** false if sending failed: the branch never became active. */
    boolean sent;
    /** Highest-class reply so far: 0 none, else the last received status. */
    int lastReceived;
    /** The branch flags it was sent with ($bf in its onreply_route, which may change them). */
    int branchFlags;
    /** The final reply (null if none or faked). */
    SipMessage finalReply;
    boolean timedOut;
    /** A reply (any, provisional included) was received on this branch. */
    boolean replied;
    /** t_drop_replies(): this branch's final no longer competes for the reply sent upstream. */
    boolean dropped;
    /** Reason of a faked final (timeout, send failure); null for received replies. */
    String fakedReason;
    /** Reason header for a CANCEL still to be sent. */
    String cancelReason;
    /** CANCEL wanted but no provisional yet (cancel_b_method 1: wait for one). */
    boolean cancelPending;
    boolean cancelSent;
    byte[] cancelBytes;
    byte[] ackBytes;
    String onReply;
    String onBranchFailure;
    WorkerTimers.Timer retr;
    WorkerTimers.Timer fr;
    WorkerTimers.Timer cancelRetr;
    long retrInterval;

    Branch(int index, String viaBranch) {
        this.index = index;
        this.viaBranch = viaBranch;
    }

    public int index() { return index; }

    /** Where the branch was sent (its socket is the one its replies come in on). */
    public Destination destination() { return dst; }

    public String uri() { return uri; }

    /** Status of the last reply received on this branch, 0 if none. */
    public int lastReceived() { return lastReceived; }

    /** The final reply received on this branch, or null (none yet, or a faked 408). */
    public SipMessage finalReply() { return finalReply; }

    boolean pending() {
        return sent && lastReceived < 200;
    }

    void stopTimers() {
        if (retr != null) retr.cancel();
        if (fr != null) fr.cancel();
        retr = null;
        fr = null;
    }
}
