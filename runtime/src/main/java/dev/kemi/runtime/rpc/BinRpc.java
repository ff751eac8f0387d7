package dev.kemi.runtime.rpc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Kamailio's BINRPC encoding (ctl module, what kamcmd speaks): a header (magic 0xA, version 1,
 * type, body length, cookie) and typed records. Replies are built as Kamailio's ctl builds them:
 * arrays travel as structs, 64-bit numbers as doubles (value x 1000).
 */
public final class BinRpc {
    static final int REQ = 0, REPL = 1, FAULT = 3;
    static final int T_INT = 0, T_STR = 1, T_DOUBLE = 2, T_STRUCT = 3, T_ARRAY = 4, T_AVP = 5, T_BYTES = 6;
    private static final int MAGIC_VERS = 0xA1;
    private static final int END = 0x80;

    /** One decoded request. */
    public record Request(int cookie, String method, List<Object> params) {}

    private BinRpc() {}

    /**
     * Bytes of the whole packet that starts at buf[off], or -1 when more bytes are needed to know.
     *
     * @throws IllegalArgumentException when it is not a BINRPC packet
     */
    public static int packetLength(byte[] buf, int off, int len) {
        if (len < 2) return -1;
        if ((buf[off] & 0xff) != MAGIC_VERS) throw new IllegalArgumentException("not a BINRPC packet");
        int lenLen = ((buf[off + 1] >> 2) & 3) + 1, cLen = (buf[off + 1] & 3) + 1;
        if (len < 2 + lenLen + cLen) return -1;
        long body = readUnsigned(buf, off + 2, lenLen);
        long total = 2 + lenLen + cLen + body;
        if (total > Integer.MAX_VALUE) throw new IllegalArgumentException("BINRPC packet too long");
        return (int) total;
    }

    /** @throws IllegalArgumentException for a malformed request */
    public static Request decodeRequest(byte[] buf, int off, int len) {
        int total = packetLength(buf, off, len);
        if (total < 0 || total > len) throw new IllegalArgumentException("truncated BINRPC packet");
        int type = (buf[off + 1] & 0xff) >> 4;
        if (type != REQ) throw new IllegalArgumentException("not a BINRPC request");
        int lenLen = ((buf[off + 1] >> 2) & 3) + 1, cLen = (buf[off + 1] & 3) + 1;
        int cookie = (int) readUnsigned(buf, off + 2 + lenLen, cLen);
        Reader r = new Reader(buf, off + 2 + lenLen + cLen, off + total);
        Object method = r.value();
        if (!(method instanceof String m)) throw new IllegalArgumentException("bad request method");
        List<Object> params = new ArrayList<>();
        while (r.more()) params.add(r.value());
        return new Request(cookie, m, params);
    }

    /** A reply carrying a command's result (see {@link RpcArray} for what a top-level List means). */
    public static byte[] reply(int cookie, Object result) {
        Body b = new Body();
        if (result instanceof List<?> values) {
            for (Object v : values) b.value(v);
        } else if (result != null) {
            b.value(result);
        }
        return packet(REPL, cookie, b.toByteArray());
    }

    public static byte[] fault(int cookie, int code, String message) {
        Body b = new Body();
        b.integer(code);
        b.string(T_STR, message);
        return packet(FAULT, cookie, b.toByteArray());
    }

    /** A request (the kamcmd side, for `kemi rpc`). */
    public static byte[] request(int cookie, String method, List<?> params) {
        Body b = new Body();
        b.string(T_STR, method);
        for (Object p : params) b.value(p);
        return packet(REQ, cookie, b.toByteArray());
    }

    /**
     * Decodes a reply or fault (for `kemi rpc`): the top-level values, structs as Maps and
     * struct-encoded arrays as Lists. A struct whose member names repeat (ul.dump's "Contact"
     * entries) becomes a List of one-member Maps, as jsonrpcs prints such an array.
     *
     * @throws RpcException for a fault
     */
    public static List<Object> decodeReply(byte[] buf, int len) {
        int total = packetLength(buf, 0, len);
        if (total < 0 || total > len) throw new IllegalArgumentException("truncated BINRPC packet");
        int type = (buf[1] & 0xff) >> 4;
        int lenLen = ((buf[1] >> 2) & 3) + 1, cLen = (buf[1] & 3) + 1;
        Reader r = new Reader(buf, 2 + lenLen + cLen, total);
        List<Object> out = new ArrayList<>();
        while (r.more()) out.add(r.value());
        if (type == FAULT) {
            throw new RpcException(out.isEmpty() || !(out.get(0) instanceof Integer c) ? 500 : c,
                    out.size() > 1 ? String.valueOf(out.get(1)) : "");
        }
        return out;
    }

    private static byte[] packet(int type, int cookie, byte[] body) {
        int lenLen = Math.max(1, intLength(body.length)), cLen = Math.max(1, intLength(cookie));
        ByteArrayOutputStream out = new ByteArrayOutputStream(2 + lenLen + cLen + body.length);
        out.write(MAGIC_VERS);
        out.write((type << 4) | ((lenLen - 1) << 2) | (cLen - 1));
        for (int i = lenLen - 1; i >= 0; i--) out.write(body.length >>> (8 * i));
        for (int i = cLen - 1; i >= 0; i--) out.write(cookie >>> (8 * i));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Bytes needed for an unsigned int, leading zero bytes dropped (0 needs 0 bytes). */
    private static int intLength(int i) {
        int size = 4;
        while (size > 0 && (i & 0xff000000) == 0) {
            i <<= 8;
            size--;
        }
        return size;
    }

    private static long readUnsigned(byte[] b, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) v = (v << 8) | (b[off + i] & 0xff);
        return v;
    }

    /** A reply body being written, record by record. */
    private static final class Body extends ByteArrayOutputStream {
        void value(Object v) {
            switch (v) {
                case null -> string(T_STR, "<null string>");
                case String s -> string(T_STR, s);
                case Integer i -> integer(i);
                case Short s -> integer(s);
                case Byte s -> integer(s);
                case Boolean bo -> integer(bo ? 1 : 0);
                case RpcUnsigned u -> integer(u.bits());
                case Long l -> {
                    if (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) integer(l.intValue());
                    else dbl(l.doubleValue());
                }
                case Number n -> dbl(n.doubleValue());
                case Map<?, ?> m -> {
                    write(T_STRUCT);
                    for (Map.Entry<?, ?> e : m.entrySet()) member(String.valueOf(e.getKey()), e.getValue());
                    write(END | T_STRUCT);
                }
                case List<?> l -> array(l);
                case RpcArray a -> array(a.items());
                case RpcMember m -> member(m.name(), m.value());
                case SrJson.Obj o -> { // a struct whose member names repeat
                    write(T_STRUCT);
                    for (SrJson.Member e : o.members()) member(e.name(), e.value());
                    write(END | T_STRUCT);
                }
                default -> string(T_STR, v.toString());
            }
        }

        private void array(List<?> items) {
            write(T_STRUCT); // Kamailio's ctl sends arrays as structs
            for (Object o : items) value(o);
            write(END | T_STRUCT);
        }

        /** name, then the value: an AVP record followed by the value's record. */
        private void member(String name, Object v) {
            string(T_AVP, name);
            value(v);
        }

        void integer(int i) {
            int size = intLength(i);
            write((size << 4) | T_INT);
            for (int k = size - 1; k >= 0; k--) write(i >>> (8 * k));
        }

        private void dbl(double d) {
            long u = (long) (d * 1000);
            int size = 8;
            while (size > 0 && (u & 0xff00000000000000L) == 0) {
                u <<= 8;
                size--;
            }
            write((size << 4) | T_DOUBLE);
            for (int k = 0; k < size; k++) {
                write((int) (u >>> 56));
                u <<= 8;
            }
        }

        void string(int type, String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            int l = b.length + 1; // STR and AVP names are 0-terminated
            if (l < 8) {
                write((l << 4) | type);
            } else {
                int size = intLength(l);
                write(((size | 8) << 4) | type);
                for (int k = size - 1; k >= 0; k--) write(l >>> (8 * k));
            }
            writeBytes(b);
            write(0);
        }
    }

    /** Reads records; structs become Maps (AVP members) or Lists (plain values). */
    private static final class Reader {
        private final byte[] b;
        private int p;
        private final int end;

        Reader(byte[] b, int p, int end) {
            this.b = b;
            this.p = p;
            this.end = end;
        }

        boolean more() {
            return p < end;
        }

        Object value() {
            if (p >= end) throw new IllegalArgumentException("truncated BINRPC record");
            int tag = b[p++] & 0xff;
            int type = tag & 0xf;
            int len = tag >> 4;
            boolean endMark = false;
            if (type != T_DOUBLE && (len & 8) != 0) {
                endMark = true;
                int n = len & 7;
                need(n);
                len = (int) readUnsigned(b, p, n);
                p += n;
            }
            if (type == T_STRUCT || type == T_ARRAY) {
                if (endMark) throw new IllegalArgumentException("unexpected end of struct");
                return struct();
            }
            need(len);
            int at = p;
            p += len;
            return switch (type) {
                case T_INT -> (int) readUnsigned(b, at, len);
                case T_STR -> new String(b, at, Math.max(0, len - 1), StandardCharsets.UTF_8);
                case T_BYTES -> new String(b, at, len, StandardCharsets.UTF_8);
                case T_DOUBLE -> {
                    long v = 0;
                    for (int i = 0; i < len; i++) v = (v << 8) | (b[at + i] & 0xff);
                    yield v / 1000.0;
                }
                default -> throw new IllegalArgumentException("unknown BINRPC record type " + type);
            };
        }

        private Object struct() {
            Map<String, Object> named = new java.util.LinkedHashMap<>();
            List<Object> plain = new ArrayList<>();
            boolean repeated = false;
            while (true) {
                need(1);
                int tag = b[p] & 0xff;
                if ((tag & 0xf) == T_STRUCT && (tag & END) != 0 || (tag & 0xf) == T_ARRAY && (tag & END) != 0) {
                    p++;
                    return repeated || named.isEmpty() ? plain : named;
                }
                if ((tag & 0xf) == T_AVP) {
                    String name = (String) stringRecord();
                    Object v = value();
                    repeated |= named.containsKey(name);
                    named.put(name, v);
                    plain.add(Map.of(name, v));
                } else {
                    plain.add(value());
                }
            }
        }

        private Object stringRecord() {
            int tag = b[p++] & 0xff;
            int len = tag >> 4;
            if ((len & 8) != 0) {
                int n = len & 7;
                need(n);
                len = (int) readUnsigned(b, p, n);
                p += n;
            }
            need(len);
            String s = new String(b, p, Math.max(0, len - 1), StandardCharsets.UTF_8);
            p += len;
            return s;
        }

        private void need(int n) {
            if (p + n > end) throw new IllegalArgumentException("truncated BINRPC record");
        }
    }
}
