package dev.kemi.engine.polyglot;

import dev.kemi.api.ScriptContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A fake message: records what the test module's functions were called with. */
final class TestContext implements ScriptContext {
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile boolean dropped;
    volatile String failureRoute;
    final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);

    @Override
    public int routeType() {
        return dev.kemi.api.RouteType.REQUEST;
    }

    @Override
    public void setDrop() {
        dropped = true;
    }

    @Override
    public boolean isDropped() {
        return dropped;
    }

    @Override
    public boolean isMyself(String value, boolean nativeDefaultPort) {
        return "127.0.0.1".equals(value);
    }
}
