package dev.kemi.runtime.modules.textopsx;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.sip.Header;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * textopsx's named header and body-line iterators of one message (Kamailio keeps them per
 * process; a message is handled by one worker from start to end, so per message is the same).
 * At most 4 of each kind, as Kamailio.
 */
final class Iterators {
    static final int MAX = 4;

    /** Header iterator: index into the received headers; -1 before the first. */
    static final class Hf {
        int index = -1;
        boolean end;
    }

    /** Body line iterator over the received body: the current line [start, start+len), newline included. */
    static final class Bl {
        int start = -1, len;
        boolean end;
        byte[] body;
    }

    final Map<String, Hf> hf = new HashMap<>();
    final Map<String, Bl> bl = new HashMap<>();
    /** Body line edits, applied to the received body as one new body. */
    final List<int[]> blDeletes = new ArrayList<>();
    final List<Object[]> blInserts = new ArrayList<>();

    static Iterators of(MessageContext ctx) {
        return ctx.attachment(Iterators.class, Iterators::new);
    }

    /** The header the iterator is on, or null. */
    static Header current(MessageContext ctx, Hf it) {
        if (it == null || it.index < 0) return null;
        List<Header> hs = ctx.msg().allHeaders();
        return it.index < hs.size() ? hs.get(it.index) : null;
    }

    static String line(Bl it) {
        return it == null || it.start < 0 ? null : new String(it.body, it.start, it.len, StandardCharsets.ISO_8859_1);
    }
}
