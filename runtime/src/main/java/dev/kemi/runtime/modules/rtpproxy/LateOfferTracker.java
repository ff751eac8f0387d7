package dev.kemi.runtime.modules.rtpproxy;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Remembers whether an INVITE seen by rtpproxy_manage carried SDP, so the 1xx/2xx with SDP can be
 * told apart: an answer (offer was in the INVITE) or a late offer. Kamailio keeps this flag on
 * the tm transaction; entries here live as long as an INVITE transaction can.
 */
public final class LateOfferTracker {

    private static final long KEEP_NANOS = TimeUnit.SECONDS.toNanos(180);
    private static final int SWEEP_EVERY = 1024;

    private record Key(String callId, long cseq) { }

    private record Seen(boolean hadSdp, long at) { }

    private final Map<Key, Seen> invites = new ConcurrentHashMap<>();
    /** Only paces the sweep: lost updates between workers do not matter. */
    private int puts;

    public void remember(String callId, long cseq, boolean hadSdp) {
        long now = System.nanoTime();
        invites.put(new Key(callId, cseq), new Seen(hadSdp, now));
        if (++puts % SWEEP_EVERY == 0) {
            Iterator<Seen> it = invites.values().iterator();
            while (it.hasNext()) {
                if (now - it.next().at >= KEEP_NANOS) {
                    it.remove();
                }
            }
        }
    }

    /** True/false for a remembered INVITE, null when none was seen. */
    public Boolean lookup(String callId, long cseq) {
        Seen s = invites.get(new Key(callId, cseq));
        return s == null || System.nanoTime() - s.at >= KEEP_NANOS ? null : s.hadSdp;
    }
}
