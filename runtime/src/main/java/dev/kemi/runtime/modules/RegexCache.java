package dev.kemi.runtime.modules;

import java.util.LinkedHashMap;
import java.util.Map;
import com.google.re2j.Pattern;

/**
 * A module's compiled {@link PosixRegex} expressions, by text and flags. Bounded, least recently
 * used out first: a script that builds expressions from message content must not grow it without end.
 */
public final class RegexCache {
    private static final int MAX = 1024;

    private record Key(String re, int flags) {}

    private final Map<Key, Pattern> patterns = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Pattern> eldest) {
            return size() > MAX;
        }
    };

    /** @throws IllegalArgumentException if the expression is invalid */
    public Pattern compile(String posix, int flags) {
        Key k = new Key(posix, flags);
        synchronized (patterns) {
            Pattern p = patterns.get(k);
            if (p != null) return p;
        }
        Pattern p = PosixRegex.compile(posix, flags);
        synchronized (patterns) {
            patterns.put(k, p);
        }
        return p;
    }
}
