package dev.kemi.tests.bridge;

/** Reference run: scripts/bridge-python.cfg (Python KEMI) on Kamailio 5.6.3; skipped without kamailio. */
class BridgeModeKamailioPythonTest extends BridgeModePythonTest {
    @Override
    boolean onKamailio() {
        return true;
    }
}
