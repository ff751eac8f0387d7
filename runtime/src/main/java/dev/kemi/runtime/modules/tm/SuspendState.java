package dev.kemi.runtime.modules.tm;

/** tmx t_suspend(): waiting for t_continue(), with the blind branch that holds the fr timer. */
final class SuspendState {
    volatile boolean suspended;
    Branch blind;
    /** The R-URI had not been used by a branch when the transaction was suspended. */
    boolean ruriNew;
}
