package dev.kemi.runtime.rtpproxy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Sessions by Call-ID, with rtpproxy's tag matching rules. Control thread only. */
final class SessionTable {

    /** A session found for a command and the stream index the command's from-tag maps to. */
    record Match(RelaySession session, int index) { }

    private final Map<String, List<RelaySession>> byCallId = new HashMap<>();
    private int size;

    /**
     * rtpproxy's find_stream: the session whose tag equals {@code fromTag} (index 0), or whose tag
     * is {@code toTag} (index 1) — also when the stored tag only extends {@code toTag} with the
     * same {@code ;medianum} as {@code fromTag}.
     */
    Match find(String callId, String fromTag, String toTag) {
        for (RelaySession s : byCallId.getOrDefault(callId, List.of())) {
            if (s.tag.equals(fromTag)) {
                return new Match(s, 0);
            }
            if (toTag != null) {
                int cmp = compareTags(s.tag, toTag);
                if (cmp == 1) {
                    return new Match(s, 1);
                }
                if (cmp == 2) {
                    int a = s.tag.lastIndexOf(';');
                    int b = fromTag.lastIndexOf(';');
                    if (b >= 0 && s.tag.substring(a).equals(fromTag.substring(b))) {
                        return new Match(s, 1);
                    }
                }
            }
        }
        return null;
    }

    /** 1: {@code stored} equals {@code given}; 2: it is {@code given;...} (any medianum); 0: neither. */
    static int compareTags(String stored, String given) {
        if (!stored.startsWith(given)) {
            return 0;
        }
        if (stored.length() == given.length()) {
            return 1;
        }
        return stored.charAt(given.length()) == ';' ? 2 : 0;
    }

    List<RelaySession> withCallId(String callId) {
        return List.copyOf(byCallId.getOrDefault(callId, List.of()));
    }

    List<RelaySession> all() {
        List<RelaySession> out = new ArrayList<>(size);
        byCallId.values().forEach(out::addAll);
        return out;
    }

    void add(RelaySession session) {
        byCallId.computeIfAbsent(session.callId, k -> new ArrayList<>(2)).add(session);
        size++;
    }

    void remove(RelaySession session) {
        List<RelaySession> list = byCallId.get(session.callId);
        if (list != null && list.remove(session)) {
            size--;
            if (list.isEmpty()) {
                byCallId.remove(session.callId);
            }
        }
    }

    int size() {
        return size;
    }
}
