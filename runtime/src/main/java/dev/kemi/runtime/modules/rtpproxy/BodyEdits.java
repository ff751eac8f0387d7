package dev.kemi.runtime.modules.rtpproxy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Replacements on the original body text, applied together at the end (like Kamailio's lumps:
 * offsets always refer to the received body).
 */
final class BodyEdits {

    private record Edit(int start, int end, String text) { }

    private final String original;
    private final List<Edit> edits = new ArrayList<>();

    BodyEdits(String original) {
        this.original = original;
    }

    void replace(int start, int end, String text) {
        edits.add(new Edit(start, end, text));
    }

    void insert(int at, String text) {
        edits.add(new Edit(at, at, text));
    }

    /** Kamailio's alter_mediaip: keeps null addresses of the same family, swaps IP4/IP6 when needed. */
    void replaceAddress(Sdp.Address old, String newAddress, boolean newIpv6) {
        String oldAddress = old.text(original);
        if (old.ipv6() == newIpv6 && Sdp.isNullAddress(oldAddress, old.ipv6())) {
            return;
        }
        if (newAddress.equals(oldAddress)) {
            return;
        }
        if (old.ipv6() == newIpv6) {
            replace(old.start(), old.end(), newAddress);
        } else {
            replace(old.familyDigit(), old.end(), (newIpv6 ? "6 " : "4 ") + newAddress);
        }
    }

    void replaceIfDifferent(Sdp.Span span, String text) {
        if (!span.text(original).equals(text)) {
            replace(span.start(), span.end(), text);
        }
    }

    String apply() {
        if (edits.isEmpty()) {
            return original;
        }
        List<Edit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparingInt(Edit::start));
        StringBuilder out = new StringBuilder(original.length() + 64);
        int pos = 0;
        for (Edit e : sorted) {
            if (e.start < pos) {
                continue; // overlapping edit of the same text: the first one wins
            }
            out.append(original, pos, e.start).append(e.text);
            pos = e.end;
        }
        return out.append(original, pos, original.length()).toString();
    }
}
