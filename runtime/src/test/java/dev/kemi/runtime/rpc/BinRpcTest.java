package dev.kemi.runtime.rpc;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BinRpcTest {
    @Test
    void requestAsKamcmdSendsIt() {
        // kamcmd core.version: magic/version 0xA1, type 0 with 1-byte length and 4-byte cookie, then "core.version\0"
        byte[] p = BinRpc.request(0x01020304, "core.version", List.of());
        assertEquals(0xA1, p[0] & 0xff);
        assertEquals(0x03, p[1] & 0xff);
        assertEquals(15, p[2]); // tag, length byte, 12 characters and the NUL
        assertEquals(0x01, p[3]);
        assertEquals(0x04, p[6]);
        assertEquals(0x91, p[7] & 0xff); // a string of 8+ bytes: its length in one extra byte
        assertEquals(13, p[8]);
        BinRpc.Request r = BinRpc.decodeRequest(p, 0, p.length);
        assertEquals("core.version", r.method());
        assertEquals(0x01020304, r.cookie());
    }

    @Test
    void paramsKeepTheirTypes() {
        byte[] p = BinRpc.request(7, "cfg.set_now_int", List.of("core", "debug", 3, -1, 0));
        assertEquals(List.of("core", "debug", 3, -1, 0), BinRpc.decodeRequest(p, 0, p.length).params());
    }

    @Test
    void structsArraysAndMembersRoundTrip() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("proto", "udp");
        inner.put("port", 5060);
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("uptime", 12L);
        top.put("big", 5_000_000_000L);
        top.put("list", List.of("a", "b"));
        top.put("sock", inner);
        List<Object> values = BinRpc.decodeReply(BinRpc.reply(9, top), BinRpc.reply(9, top).length);
        assertEquals(1, values.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) values.get(0);
        assertEquals(12, back.get("uptime"));
        assertEquals(5.0e9, back.get("big")); // 64-bit values travel as doubles, as Kamailio's 'L'
        assertEquals(List.of("a", "b"), back.get("list"));
        assertEquals(inner, back.get("sock"));
    }

    @Test
    void arraysTravelAsStructsAndTopLevelListsAsSeparateValues() {
        byte[] seq = BinRpc.reply(1, List.of("x", "y"));
        assertEquals(List.of("x", "y"), BinRpc.decodeReply(seq, seq.length));
        byte[] one = BinRpc.reply(1, new RpcArray(List.of(new RpcMember("socket", Map.of("port", "5060")))));
        int body = 2 + 1 + 1; // header with 1-byte length and cookie
        assertEquals(BinRpc.T_STRUCT, one[body]);
        assertEquals(BinRpc.T_AVP, one[body + 1] & 0xf);
        assertEquals(0x80 | BinRpc.T_STRUCT, one[one.length - 1] & 0xff);
    }

    @Test
    void repeatedMembersAndUnsignedIntsAsKamailiosCtlSendsThem() {
        // ul.dump's Contacts: struct_add on an array handle, the same name once per contact
        Object contacts = Map.of("Contacts", List.of(new RpcMember("Contact", Map.of("Methods", new RpcUnsigned(-1))),
                new RpcMember("Contact", Map.of("Methods", new RpcUnsigned(527)))));
        byte[] r = BinRpc.reply(2, contacts);
        assertEquals(List.of(Map.of("Contacts", List.of(Map.of("Contact", Map.of("Methods", -1)), Map.of("Contact", Map.of("Methods", 527))))),
                BinRpc.decodeReply(r, r.length), "\"u\" travels as a 32-bit int; a repeated name keeps every value");
    }

    @Test
    void faultsCarryCodeAndMessage() {
        byte[] f = BinRpc.fault(5, 500, "command x.y not found");
        RpcException e = assertThrows(RpcException.class, () -> BinRpc.decodeReply(f, f.length));
        assertEquals(500, e.code());
        assertEquals("command x.y not found", e.getMessage());
    }

    @Test
    void packetLengthNeedsTheHeaderAndRejectsOtherProtocols() {
        byte[] p = BinRpc.request(1, "core.uptime", List.of());
        assertEquals(-1, BinRpc.packetLength(p, 0, 2));
        assertEquals(p.length, BinRpc.packetLength(p, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> BinRpc.packetLength("GET /".getBytes(), 0, 5));
    }
}
