package dev.kemi.engine.polyglot;

import org.graalvm.polyglot.Value;

/**
 * Python's PyArg_ParseTuple "s"/"i" rules: a str parameter needs a str, an int parameter an int
 * (bool accepted, being an int subclass); anything else raises TypeError in the script.
 * Known gap: a float with an integral value (2.0) passes as an int, as interop can't tell it apart.
 */
final class PythonMarshaller implements Marshaller {
    /** Python function (kind, message) that raises the named built-in exception. */
    private final Value raise;

    PythonMarshaller(Value raise) {
        this.raise = raise;
    }

    @Override
    public String toStr(Value v, String fn, int index) {
        try {
            String s = v.asString(); // one host-to-guest call on the common path; null for None
            if (s != null) return s;
        } catch (ClassCastException notAString) {
            // raised below
        }
        throw raise("TypeError", fn + "() argument " + (index + 1) + " must be str, not " + typeName(v));
    }

    @Override
    public int toInt(Value v, String fn, int index) {
        try {
            return v.asInt();
        } catch (ClassCastException | NullPointerException notAnInt) {
            // bool, big int, None or a wrong type: sorted out below
        }
        if (v.isBoolean()) return v.asBoolean() ? 1 : 0;
        if (v.isNumber()) {
            if (v.fitsInLong()) throw raise("OverflowError", "signed integer is out of range for " + fn + "()");
        }
        throw raise("TypeError", fn + "() argument " + (index + 1) + " must be int, not " + typeName(v));
    }

    /** Raises a Python exception: the guest exception thrown here surfaces as itself in the script. */
    RuntimeException raise(String kind, String message) {
        raise.execute(kind, message);
        return new IllegalStateException("raise did not throw");
    }

    private static String typeName(Value v) {
        if (v.isNull()) return "NoneType";
        if (v.isBoolean()) return "bool";
        if (v.isString()) return "str";
        if (v.isNumber()) return v.fitsInLong() ? "int" : "float";
        Value meta = v.getMetaObject();
        return meta == null ? "object" : meta.getMetaSimpleName();
    }
}
