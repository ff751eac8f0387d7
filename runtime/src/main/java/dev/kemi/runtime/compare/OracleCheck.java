package dev.kemi.runtime.compare;

/**
 * One scenario of one configuration played by us and by real Kamailio on the same cfg: whether
 * our in-process prediction matches what Kamailio sent.
 *
 * @param scenario     index into the report's scenarios
 * @param side         index into the report's sides (a cfg side)
 * @param kamailio     Kamailio's run (null when it could not run)
 * @param divergence   first difference, ours (A) against Kamailio's (B); null when they agree
 * @param notExercised why the check proves nothing (a side did not run to its end); null otherwise
 */
public record OracleCheck(int scenario, int side, ScenarioResult kamailio, Divergence divergence, String notExercised) {
    public boolean agrees() {
        return divergence == null && notExercised == null;
    }
}
