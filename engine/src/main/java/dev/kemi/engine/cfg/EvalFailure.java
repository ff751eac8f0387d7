package dev.kemi.engine.cfg;

/**
 * An expression that cannot be evaluated (division by zero). As in Kamailio the enclosing
 * action fails: an assignment is skipped, a condition is false, a call is not made.
 */
final class EvalFailure extends RuntimeException {
    static final EvalFailure INSTANCE = new EvalFailure();

    private EvalFailure() {
        super("expression evaluation failed (division by zero)", null, false, false);
    }
}
