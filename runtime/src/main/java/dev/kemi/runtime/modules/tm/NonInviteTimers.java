package dev.kemi.runtime.modules.tm;

/** tm's fr_timer, retr_timer1 and retr_timer2 (ms), for a module's own non-INVITE requests. */
public record NonInviteTimers(int fr, int retrT1, int retrT2) {}
