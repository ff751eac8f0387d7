package dev.kemi.tests.registrar;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** An INVITE routed by lookup(): which phones get it, with which Request-URIs. */
final class Calls {
    private Calls() {}

    /**
     * The caller INVITEs user@domain through the proxy; every INVITE a phone receives is answered
     * 486 and its Request-URI recorded, until {@code expected} arrived; the caller must get the 486.
     */
    static List<String> invite(Phone caller, List<Phone> phones, String proxyIp, String user, String domain, int expected) {
        String callId = "call-" + System.nanoTime();
        String invite = caller.invite(user, domain, callId);
        caller.send(Proxies.sip(proxyIp), invite);
        List<String> uris = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        while (uris.size() < expected && System.nanoTime() < deadline) {
            for (Phone p : phones) {
                String m = p.receive(Duration.ofMillis(100));
                if (m == null || !m.startsWith("INVITE ")) continue;
                uris.add(Phone.requestUri(m));
                p.send(Proxies.sip(proxyIp), Phone.replyTo(m, 486, "Busy Here"));
            }
        }
        String fin = null;
        while (System.nanoTime() < deadline && fin == null) {
            String r = caller.receive(Duration.ofMillis(500));
            if (r != null && !r.startsWith("SIP/2.0 1") && callId.equals(Phone.header(r, "Call-ID"))) fin = r;
        }
        if (fin != null) caller.ackFailure(Proxies.sip(proxyIp), invite, fin);
        assertNotNull(fin, "a final reply to the caller (INVITEs seen: " + uris + ")");
        assertTrue(fin.startsWith("SIP/2.0 486"), "the callee's 486, got " + fin);
        return uris;
    }
}
