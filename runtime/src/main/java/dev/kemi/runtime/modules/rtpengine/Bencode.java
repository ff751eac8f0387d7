package dev.kemi.runtime.modules.rtpengine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bencoding as the ng protocol uses it: strings (byte-exact, held as ISO-8859-1 text), integers,
 * lists and dictionaries (insertion order kept on the way out, as Kamailio sends them).
 */
final class Bencode {

    private Bencode() {}

    static byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        write(out, value);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, Object v) {
        switch (v) {
            case String s -> {
                byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
                out.writeBytes((b.length + ":").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(b);
            }
            case Integer i -> out.writeBytes(("i" + i + "e").getBytes(StandardCharsets.US_ASCII));
            case Long l -> out.writeBytes(("i" + l + "e").getBytes(StandardCharsets.US_ASCII));
            case List<?> list -> {
                out.write('l');
                list.forEach(item -> write(out, item));
                out.write('e');
            }
            case Map<?, ?> map -> {
                out.write('d');
                map.forEach((k, item) -> {
                    write(out, (String) k);
                    write(out, item);
                });
                out.write('e');
            }
            default -> throw new IllegalArgumentException("cannot bencode " + v.getClass().getSimpleName());
        }
    }

    /**
     * Decodes exactly one value filling {@code data[off, off+len)}: String, Long, List, Map.
     *
     * @throws IllegalArgumentException for malformed or trailing input
     */
    static Object decode(byte[] data, int off, int len) {
        Reader r = new Reader(data, off, off + len);
        Object v = r.value();
        if (r.pos != r.end) {
            throw new IllegalArgumentException("trailing data after bencoded value");
        }
        return v;
    }

    private static final class Reader {
        private final byte[] b;
        private int pos;
        private final int end;

        Reader(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        Object value() {
            int c = peek();
            switch (c) {
                case 'i' -> {
                    pos++;
                    long n = number('e');
                    return n;
                }
                case 'l' -> {
                    pos++;
                    List<Object> list = new ArrayList<>();
                    while (peek() != 'e') {
                        list.add(value());
                    }
                    pos++;
                    return list;
                }
                case 'd' -> {
                    pos++;
                    Map<String, Object> map = new LinkedHashMap<>();
                    while (peek() != 'e') {
                        if (!Character.isDigit(peek())) {
                            throw new IllegalArgumentException("dictionary key is not a string");
                        }
                        String key = string();
                        map.put(key, value());
                    }
                    pos++;
                    return map;
                }
                default -> {
                    if (c >= '0' && c <= '9') {
                        return string();
                    }
                    throw new IllegalArgumentException("bad bencode at offset " + pos);
                }
            }
        }

        private String string() {
            long n = number(':');
            if (n < 0 || n > end - pos) {
                throw new IllegalArgumentException("bencoded string longer than the data");
            }
            String s = new String(b, pos, (int) n, StandardCharsets.ISO_8859_1);
            pos += (int) n;
            return s;
        }

        private long number(char terminator) {
            int start = pos;
            while (pos < end && b[pos] != terminator) {
                pos++;
            }
            if (pos >= end) {
                throw new IllegalArgumentException("unterminated bencoded number");
            }
            String text = new String(b, start, pos - start, StandardCharsets.US_ASCII);
            pos++;
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad bencoded number: " + text);
            }
        }

        private int peek() {
            if (pos >= end) {
                throw new IllegalArgumentException("truncated bencode");
            }
            return b[pos];
        }
    }
}
