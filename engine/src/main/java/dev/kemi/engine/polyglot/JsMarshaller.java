package dev.kemi.engine.polyglot;

import org.graalvm.polyglot.Value;

/** Duktape's duk_to_string / duk_to_int coercions, done by the JS context itself. */
final class JsMarshaller implements Marshaller {
    private final Value toStr;
    private final Value toInt;

    JsMarshaller(Value toStr, Value toInt) {
        this.toStr = toStr;
        this.toInt = toInt;
    }

    @Override
    public String toStr(Value v, String fn, int index) {
        try {
            String s = v.asString(); // common case in one call; anything else is coerced by JS itself
            if (s != null) return s;
        } catch (ClassCastException notAString) {
            // coerced below
        }
        return toStr.execute(v).asString();
    }

    @Override
    public int toInt(Value v, String fn, int index) {
        try {
            return v.asInt();
        } catch (ClassCastException | NullPointerException notAnInt) {
            return toInt.execute(v).asInt();
        }
    }
}
