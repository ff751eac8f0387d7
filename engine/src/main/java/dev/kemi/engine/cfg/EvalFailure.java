package dev.kemi.engine.cfg;

/**
 * An expression that cannot be evaluated (division by zero, a pseudo-variable without an integer
 * value for an int parameter). As in Kamailio the enclosing action fails: an assignment is
 * skipped, a condition is false, a call is not made.
 */
final class EvalFailure extends RuntimeException {
    static final EvalFailure INSTANCE = new EvalFailure("expression evaluation failed (division by zero)");
    /** get_int_fparam: the pseudo-variable's value is not an integer. */
    static final EvalFailure NOT_INT = new EvalFailure("could not convert the pseudo-variable to int");

    private EvalFailure(String message) {
        super(message, null, false, false);
    }
}
