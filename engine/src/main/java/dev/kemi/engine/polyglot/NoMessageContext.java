package dev.kemi.engine.polyglot;

import dev.kemi.api.ScriptContext;

/** KSR calls outside a message (mod_init, top level) when the runtime gave no faked message. */
final class NoMessageContext implements ScriptContext {
    @Override
    public int routeType() {
        return 0;
    }

    @Override
    public void setDrop() {}

    @Override
    public boolean isDropped() {
        return false;
    }

    @Override
    public boolean isMyself(String value, boolean nativeDefaultPort) {
        return false;
    }
}
