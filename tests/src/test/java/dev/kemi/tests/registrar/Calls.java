package dev.kemi.tests.registrar;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** An INVITE routed by lookup(): which phones get it, with which Request-URIs. */
final class Calls {
    private Calls() {}

    /**
     * The caller INVITEs user@domain through the proxy; every INVITE a phone receives
     * (retransmissions too) is answered 486 and each branch's Request-URI recorded once; the
     * caller must get the 486 (then ACKs it). Returns the Request-URIs in arrival order.
     */
    static List<String> invite(Phone caller, List<Phone> phones, String proxyIp, String user, String domain, int expected) {
        String callId = "call-" + System.nanoTime();
        String invite = caller.invite(user, domain, callId);
        caller.send(Proxies.sip(proxyIp), invite);
        List<String> uris = new ArrayList<>();
        Set<String> branches = new HashSet<>();
        String fin = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (fin == null && System.nanoTime() < deadline) {
            for (Phone p : phones) {
                String m = p.receive(Duration.ofMillis(50));
                if (m == null || !m.startsWith("INVITE ")) continue;
                if (branches.add(Phone.header(m, "Via"))) uris.add(Phone.requestUri(m));
                p.send(Proxies.sip(proxyIp), Phone.replyTo(m, 486, "Busy Here"));
            }
            String r = caller.receive(Duration.ofMillis(50));
            if (r != null && !r.startsWith("SIP/2.0 1") && callId.equals(Phone.header(r, "Call-ID"))) fin = r;
        }
        assertNotNull(fin, "a final reply to the caller (INVITEs seen: " + uris + ")");
        caller.ackFailure(Proxies.sip(proxyIp), invite, fin);
        assertTrue(fin.startsWith("SIP/2.0 486"), "the callee's 486, got " + fin);
        assertTrue(uris.size() == expected, "INVITEs expected " + expected + ", seen " + uris);
        return uris;
    }
}
