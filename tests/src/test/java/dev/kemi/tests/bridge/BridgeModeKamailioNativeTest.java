package dev.kemi.tests.bridge;

/** Reference run: scripts/bridge.cfg (native kamailio.cfg) on Kamailio 5.6.3; skipped without kamailio. */
class BridgeModeKamailioNativeTest extends BridgeModeNativeTest {
    @Override
    boolean onKamailio() {
        return true;
    }
}
