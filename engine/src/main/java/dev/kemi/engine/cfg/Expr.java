package dev.kemi.engine.cfg;

/** A compiled expression: evaluates to Integer, String or null ($null / undefined). */
abstract class Expr {
    abstract Object eval(Run r);

    int evalInt(Run r) {
        return Values.toInt(eval(r));
    }

    String evalStr(Run r) {
        return Values.toStr(eval(r));
    }

    /** True when the value does not depend on the message (folded at load time). */
    boolean constant() {
        return false;
    }
}
