package dev.kemi.runtime.modules.textops;

import dev.kemi.runtime.sip.Header;
import dev.kemi.runtime.sip.SipMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Text operations over the received header block ("Name: value\r\n" lines, first line
 * excluded): the block is transformed as one string, and the changed tail is written back as
 * header edits (fields from the first changed one are removed and re-appended in order), so
 * untouched fields keep their bytes.
 */
final class HeaderBlock {
    private HeaderBlock() {}

    /** The header fields' raw text, in order. */
    static List<String> lines(SipMessage m) {
        byte[] raw = m.rawBytes();
        List<Header> hs = m.allHeaders();
        List<String> out = new ArrayList<>(hs.size());
        for (Header h : hs) out.add(new String(raw, h.start(), h.end() - h.start(), StandardCharsets.ISO_8859_1));
        return out;
    }

    static String text(SipMessage m) {
        return String.join("", lines(m));
    }

    /** Applies f to the block; true if anything changed. */
    static boolean rewrite(SipMessage m, UnaryOperator<String> f) {
        List<String> before = lines(m);
        String changed = f.apply(String.join("", before));
        if (changed.equals(String.join("", before))) return false;
        List<String> after = split(changed);
        int first = 0;
        while (first < before.size() && first < after.size() && before.get(first).equals(after.get(first))) first++;
        List<Header> hs = m.allHeaders();
        for (int i = first; i < hs.size(); i++) m.removeHeader(hs.get(i));
        for (int i = first; i < after.size(); i++) m.appendHeader(after.get(i));
        return true;
    }

    /** Splits header text into field lines (continuation lines stay with their field). */
    static List<String> split(String block) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < block.length()) {
            int nl = block.indexOf('\n', i);
            if (nl < 0) nl = block.length() - 1;
            int next = nl + 1;
            boolean continues = next < block.length() && (block.charAt(next) == ' ' || block.charAt(next) == '\t');
            if (!continues) {
                String line = block.substring(start, next);
                if (!line.isBlank()) out.add(line.endsWith("\n") ? line : line + "\r\n");
                start = next;
            }
            i = next;
        }
        return out;
    }
}
