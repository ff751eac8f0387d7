package dev.kemi.tests.bridge;

/** The bridge-mode scenario with its routing in JavaScript KEMI (GraalJS): scripts/bridge-js.cfg. */
class BridgeModeJsTest extends BridgeModeScenarioTest {
    @Override
    String cfg() {
        return "bridge-js.cfg";
    }

    @Override
    String script() {
        return "bridge.js";
    }
}
