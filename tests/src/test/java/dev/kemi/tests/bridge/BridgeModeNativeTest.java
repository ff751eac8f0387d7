package dev.kemi.tests.bridge;

/** The bridge-mode scenario with its routing in native kamailio.cfg: scripts/bridge.cfg. */
class BridgeModeNativeTest extends BridgeModeScenarioTest {
    @Override
    String cfg() {
        return "bridge.cfg";
    }

    @Override
    String script() {
        return null;
    }
}
