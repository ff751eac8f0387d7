package dev.kemi.tests.bridge;

/** The bridge-mode scenario with its routing in Python KEMI (GraalPy): scripts/bridge-python.cfg. */
class BridgeModePythonTest extends BridgeModeScenarioTest {
    @Override
    String cfg() {
        return "bridge-python.cfg";
    }

    @Override
    String script() {
        return "bridge.py";
    }
}
