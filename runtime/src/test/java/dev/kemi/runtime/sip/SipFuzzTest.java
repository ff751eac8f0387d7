package dev.kemi.runtime.sip;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing over the RFC 4475 corpus: whatever the bytes, parsing, every accessor,
 * validation, the edits and serialization either work or throw SipParseException.
 */
class SipFuzzTest {
    private static final long SEED = 4475;
    private static final int ITERATIONS = 20_000;

    @Test
    void mutatedCorpusNeverEscapesAnotherException() {
        List<byte[]> corpus = new ArrayList<>(TortureCorpus.all());
        corpus.add(SipMessageParseTest.INVITE.getBytes(StandardCharsets.UTF_8));
        // ~1 s of CPU; the generous limit only catches hangs on a machine shared by many builds
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            SplittableRandom rnd = new SplittableRandom(SEED);
            int parsed = 0;
            for (int i = 0; i < ITERATIONS; i++) {
                byte[] input = mutate(corpus.get(rnd.nextInt(corpus.size())), rnd);
                try {
                    if (exercise(input)) parsed++;
                } catch (RuntimeException | Error e) {
                    fail("iteration " + i + " (seed " + SEED + ") threw " + e + " on input:\n"
                            + new String(input, StandardCharsets.ISO_8859_1), e);
                }
            }
            // the mutations must leave enough messages parseable for the accessors to be exercised
            assertTrue(parsed > ITERATIONS / 5, "only " + parsed + " mutated messages parsed");
        });
    }

    static byte[] mutate(byte[] seed, SplittableRandom rnd) {
        byte[] b = seed;
        int rounds = 1 + rnd.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            if (b.length == 0) return b;
            switch (rnd.nextInt(6)) {
                case 0 -> { // bit flip
                    b = b.clone();
                    b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
                case 1 -> b = Arrays.copyOf(b, rnd.nextInt(b.length)); // truncation
                case 2 -> { // byte insertion, biased to SIP punctuation
                    byte[] special = {'\r', '\n', ' ', '\t', ':', ';', ',', '<', '>', '"', '\\', '@', '[', ']', '=', 0, (byte) 0xff};
                    byte ins = rnd.nextBoolean() ? special[rnd.nextInt(special.length)] : (byte) rnd.nextInt(256);
                    int at = rnd.nextInt(b.length + 1);
                    byte[] out = new byte[b.length + 1];
                    System.arraycopy(b, 0, out, 0, at);
                    out[at] = ins;
                    System.arraycopy(b, at, out, at + 1, b.length - at);
                    b = out;
                }
                case 3 -> b = duplicateLine(b, rnd);
                case 4 -> { // byte deletion
                    int at = rnd.nextInt(b.length);
                    byte[] out = new byte[b.length - 1];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + 1, out, at, b.length - at - 1);
                    b = out;
                }
                default -> { // overwrite a digit run (Content-Length, CSeq, ports)
                    b = b.clone();
                    int at = rnd.nextInt(b.length);
                    if (Chars.isDigit(b[at])) b[at] = (byte) ("0123456789-+ "
                            .charAt(rnd.nextInt(13)));
                }
            }
        }
        return b;
    }

    private static byte[] duplicateLine(byte[] b, SplittableRandom rnd) {
        int at = rnd.nextInt(b.length);
        int s = at;
        while (s > 0 && b[s - 1] != '\n') s--;
        int e = at;
        while (e < b.length && b[e] != '\n') e++;
        if (e < b.length) e++;
        byte[] out = new byte[b.length + (e - s)];
        System.arraycopy(b, 0, out, 0, e);
        System.arraycopy(b, s, out, e, e - s);
        System.arraycopy(b, e, out, e + (e - s), b.length - e);
        return out;
    }

    /** Everything a proxy may call on a message from the wire; true if the message parsed. */
    static boolean exercise(byte[] input) {
        try {
            long frame = StreamFramer.next(input, 0, input.length, true);
            if (frame != StreamFramer.NEED_MORE && StreamFramer.length(frame) > 0) {
                quietly(() -> SipMessage.parse(input, StreamFramer.skipped(frame), StreamFramer.length(frame)));
            }
        } catch (SipParseException ignored) {
            // a stream that cannot be framed
        }
        SipMessage.parseForErrorReply(input);
        SipMessage m;
        try {
            m = SipMessage.parse(input);
        } catch (SipParseException e) {
            return false;
        }
        m.isRequest();
        m.method();
        m.requestUri();
        m.originalRequestUri();
        m.status();
        m.reason();
        for (String h : List.of("Via", "v", "From", "To", "Call-ID", "CSeq", "Contact", "Route", "Subject", "X-Unknown", "Accept")) {
            m.header(h);
            m.headers(h);
            m.headerValues(h);
            m.hasHeader(h);
            m.headerCount(h);
        }
        m.allHeaders();
        m.callId();
        m.contentType();
        m.contentLength();
        m.body();
        m.bodyLength();
        m.rawBytes();
        m.toBytes();
        quietly(m::parsedRequestUri);
        quietly(m::topVia);
        quietly(m::vias);
        quietly(m::from);
        quietly(m::to);
        quietly(m::cseq);
        quietly(m::maxForwards);
        quietly(() -> {
            for (NameAddr a : m.contacts()) quietly(a::parsedUri);
            return null;
        });
        quietly(m::routes);
        quietly(m::recordRoutes);
        quietly(() -> {
            m.validate();
            return null;
        });
        SipMessage c = m.copy();
        c.prependVia("SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKfuzz");
        c.insertRecordRoute("<sip:127.0.0.1;lr>");
        c.setTopViaParam("received", "127.0.0.2");
        c.setTopViaParam("rport", "5062");
        c.appendHeader("X-Fuzz: 1");
        c.insertHeaderBefore("X-Before: 1", "Call-ID");
        c.appendHeaderAfter("X-After: 1", "CSeq");
        c.removeHeaders("Subject");
        if (c.isRequest()) c.setRequestUri("sip:fuzz@127.0.0.1");
        c.setBody("x".getBytes(StandardCharsets.US_ASCII), "text/plain");
        quietly(() -> SipMessage.parse(c.toBytes()));
        SipMessage r = m.copy();
        r.removeTopVia();
        for (Header h : r.allHeaders()) if (h.name().startsWith("X")) r.removeHeader(h);
        r.toBytes();
        if (m.isRequest()) {
            try {
                SipMessage.response(m, 400, "Bad Request", "tag1", List.of("Server: fuzz"), null).toBytes();
            } catch (IllegalArgumentException ignored) {
                // the request's own fields do not form a parseable response: reported, not thrown further
            }
        }
        return true;
    }

    interface Action {
        Object run() throws SipParseException;
    }

    private static void quietly(Action a) {
        try {
            a.run();
        } catch (SipParseException ignored) {
            // the expected way to fail
        }
    }
}
