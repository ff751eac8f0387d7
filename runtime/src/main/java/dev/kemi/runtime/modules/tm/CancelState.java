package dev.kemi.runtime.modules.tm;

/** Whether the transaction was canceled (CANCEL from upstream, t_cancel_callid) or got a 6xx. */
final class CancelState {
    boolean canceled;
    /** A branch answered 6xx: the other branches were canceled (unless disable_6xx_block). */
    boolean got6xx;
}
