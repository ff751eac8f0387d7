package dev.kemi.runtime.modules.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import org.junit.jupiter.api.Test;

/**
 * The hashing algorithms' choice in a set of four (the slot is hash % 4), pinned to what Kamailio
 * 5.6.3 chose for the same inputs in DispatcherAlgorithmsWireTest (set 1 there, whose destinations
 * in selection order are .64, .62, .63, .61: slots 0..3).
 */
class DsHashTest {
    private static long slot(int hash) {
        return Integer.toUnsignedLong(hash) % 4;
    }

    private static SipUri uri(String s) {
        try {
            return SipUri.parse(s);
        } catch (SipParseException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void callIdAlgorithm0() {
        long[] kamailio = {3, 0, 1, 2, 3, 0};
        for (int i = 0; i < 6; i++) assertEquals(kamailio[i], slot(DsHash.hash("alg0-1-" + i + "@127.0.25.110", null)), "call " + i);
    }

    @Test
    void fromUriAlgorithm1() {
        long[] kamailio = {1, 1, 3, 2, 2, 3};
        for (int i = 0; i < 6; i++) {
            assertEquals(kamailio[i], slot(DsHash.uri(uri("sip:caller" + i * 3 + "@from" + i % 2 + ".invalid"), false)), "call " + i);
        }
    }

    @Test
    void toUriAlgorithm2() {
        long[] kamailio = {2, 3, 3, 1, 1, 2};
        for (int i = 0; i < 6; i++) {
            assertEquals(kamailio[i], slot(DsHash.uri(uri("sip:callee" + i * 11 + "@to" + i + ".invalid"), false)), "call " + i);
        }
    }

    @Test
    void requestUriAlgorithm3() {
        long[] kamailio = {0, 1, 0, 3, 1, 0};
        for (int i = 0; i < 6; i++) {
            assertEquals(kamailio[i], slot(DsHash.uri(uri("sip:svc" + i * 7 + "@host" + i % 4 + ".invalid"), false)), "call " + i);
        }
    }

    @Test
    void authUsernameAlgorithm5() {
        // calls 2 and 5 had no credentials: round robin instead
        int[] users = {0, 1, 3, 4};
        long[] kamailio = {2, 3, 1, 2};
        for (int j = 0; j < users.length; j++) assertEquals(kamailio[j], slot(DsHash.hash("user" + users[j], null)), "user" + users[j]);
    }

    @Test
    void pvAlgorithm7() {
        long[] kamailio = {1, 2, 1, 2, 1, 2};
        for (int i = 0; i < 6; i++) assertEquals(kamailio[i], slot(DsHash.hash("h" + i * 5, null)), "X-Hash h" + i * 5);
    }
}
