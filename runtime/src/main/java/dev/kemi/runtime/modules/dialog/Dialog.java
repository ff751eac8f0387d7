package dev.kemi.runtime.modules.dialog;

import dev.kemi.runtime.transport.ListenSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/**
 * One tracked dialog (Kamailio's dlg_cell). Changed only on the worker owning its Call-ID (the
 * RPC and timers hand their work there); RPC listings read it as it is.
 */
final class Dialog implements DialogApi.Dlg {
    static final int UNCONFIRMED = 1, EARLY = 2, CONFIRMED_NA = 3, CONFIRMED = 4, DELETED = 5;
    static final int CALLER = 0, CALLEE = 1;
    static final int DIR_NONE = 0, DIR_DOWNSTREAM = 1, DIR_UPSTREAM = 2;

    // dflags and iflags bits as Kamailio's dlg_hash.h (dlg.list prints them)
    static final int FLAG_NEW = 1, FLAG_CHANGED = 2, FLAG_HASBYE = 4, FLAG_CALLERBYE = 16, FLAG_CALLEEBYE = 32,
            FLAG_CHANGED_VARS = 128, FLAG_TM = 512, FLAG_EXPIRED = 1024, FLAG_CHANGED_PROF = 1024;
    static final int IFLAG_TIMEOUTBYE = 1, IFLAG_KA_SRC = 2, IFLAG_KA_DST = 4, IFLAG_TIMER_NORESET = 8, IFLAG_PRACK = 32;

    final int hEntry;
    int hId;
    final String callId, fromUri, toUri, reqUri;
    final String[] tag = new String[2], contact = new String[2], cseq = new String[2], routeSet = new String[2];
    final ListenSocket[] bindAddr = new ListenSocket[2];
    /** Record-Route entries of the initial request (skipped in the callee's route set). */
    int fromRrNb;
    volatile int state = UNCONFIRMED;
    volatile long startTs, endTs;
    final long initTs;
    volatile int lifetime;
    volatile int dflags, sflags, iflags;
    String toRoute;
    /** Variables, newest first when listed (Kamailio prepends). */
    final Map<String, String> vars = new LinkedHashMap<>();
    /** Kamailio's per-variable vflags for the dialog_vars rows: VAR_NEW (insert) or VAR_CHANGED (update). */
    final Map<String, Integer> varFlags = new HashMap<>();
    static final int VAR_NEW = 1, VAR_CHANGED = 2;
    /** Profile memberships, newest first when listed. */
    final List<DlgProfiles.Link> profiles = new ArrayList<>();
    /** Only for cancelling: a 0 s timer can fire before the future is stored here. */
    ScheduledFuture<?> timer;
    /** When the timer fires (epoch seconds), 0 when not on the timer. */
    volatile long timeoutAt;
    /** Bumped by every start and stop of the timer: a firing that is not the latest start is stale. */
    volatile int timerGen;

    boolean onTimer() {
        return timeoutAt != 0;
    }
    /** BYEs of ours still waiting for their final reply. */
    int byesPending;

    Dialog(int hEntry, String callId, String fromUri, String toUri, String reqUri, long now) {
        this.hEntry = hEntry;
        this.callId = callId;
        this.fromUri = fromUri;
        this.toUri = toUri;
        this.reqUri = reqUri;
        this.initTs = now;
    }

    /** set_dlg_variable_unsafe: a new variable is to be inserted, a changed one updated; a removed one leaves its row (as 5.6.3). */
    void putVar(String name, String value) {
        if (value == null) {
            vars.remove(name);
            varFlags.remove(name);
        } else if (vars.put(name, value) == null) {
            varFlags.put(name, VAR_NEW);
        } else {
            varFlags.merge(name, VAR_CHANGED, (a, b) -> a | b);
        }
    }

    long key() {
        return key(hEntry, hId);
    }

    static long key(int entry, int id) {
        return ((long) entry << 32) | (id & 0xffffffffL);
    }

    /** Kamailio's match_dialog: the direction of a request with these tags, or -1 when it is not this dialog's. */
    int match(String cid, String ftag, String ttag) {
        if (!callId.equals(cid)) return -1;
        String caller = tag[CALLER], callee = tag[CALLEE];
        if (callee == null || callee.isEmpty()) {
            if (caller.equals(ttag)) return DIR_UPSTREAM;
            if (caller.equals(ftag)) return DIR_DOWNSTREAM;
            return -1;
        }
        if (callee.equals(ftag) && caller.equals(ttag)) return DIR_UPSTREAM;
        if (caller.equals(ftag) && callee.equals(ttag)) return DIR_DOWNSTREAM;
        // a lookup from the 200 OK's callbacks with the initial INVITE (no To-tag)
        if ((ttag == null || ttag.isEmpty()) && state == CONFIRMED_NA && caller.equals(ftag)) return DIR_DOWNSTREAM;
        return -1;
    }

    boolean active() {
        return state == CONFIRMED_NA || state == CONFIRMED;
    }

    // ---- DialogApi.Dlg
    @Override public int hashEntry() { return hEntry; }
    @Override public int hashId() { return hId; }
    @Override public String callId() { return callId; }
    @Override public String fromTag() { return tag[CALLER]; }
    @Override public String toTag() { return tag[CALLEE]; }
    @Override public int state() { return state; }
}
