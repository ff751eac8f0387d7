package dev.kemi.tests.bridge;

/** Reference run: scripts/bridge-js.cfg (JavaScript KEMI) on Kamailio 5.6.3; skipped without kamailio. */
class BridgeModeKamailioJsTest extends BridgeModeJsTest {
    @Override
    boolean onKamailio() {
        return true;
    }
}
