package dev.kemi.runtime.rtpproxy;

import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Replies by cookie and client address, so that a retransmitted UDP command gets the first
 * reply again instead of being executed twice. Control thread only.
 */
final class ReplyCache {

    /** rtpproxy keeps replies for 30 s. */
    static final long KEEP_NANOS = 30_000_000_000L;
    private static final int MAX_ENTRIES = 100_000;

    private record Key(String cookie, InetSocketAddress client) { }

    private record Entry(String reply, long stored) { }

    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();

    String get(String cookie, InetSocketAddress client) {
        Entry e = entries.get(new Key(cookie, client));
        return e == null ? null : e.reply;
    }

    void put(String cookie, InetSocketAddress client, String reply, long now) {
        entries.put(new Key(cookie, client), new Entry(reply, now));
        if (entries.size() > MAX_ENTRIES) {
            Iterator<Key> oldest = entries.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** Drops replies older than {@link #KEEP_NANOS}; entries are in insertion (= time) order. */
    void expire(long now) {
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext() && now - it.next().getValue().stored >= KEEP_NANOS) {
            it.remove();
        }
    }
}
