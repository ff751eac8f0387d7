package dev.kemi.runtime.modules.usrloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kemi.runtime.rpc.RpcException;
import dev.kemi.runtime.rpc.RpcMember;
import dev.kemi.runtime.rpc.RpcRegistry;
import dev.kemi.runtime.rpc.RpcUnsigned;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsrlocMemoryTest {
    private final UsrlocModule ul = new UsrlocModule();

    private static ContactInfo ci(int q, long expires, String callId, int cseq) {
        ContactInfo c = new ContactInfo();
        c.q = q;
        c.expires = expires;
        c.callId = callId;
        c.cseq = cseq;
        c.ruid = "r" + q + "-" + cseq;
        c.lastModified = System.currentTimeMillis() / 1000;
        return c;
    }

    @Test
    void hashIsKamailiosCoreHash() {
        // HashID Kamailio 5.6.3's ul.dump printed for AoR "alice"
        assertEquals(1834153949, CoreHash.of("alice"));
    }

    @Test
    void contactsAreOrderedByQAsKamailioInsertsThem() throws Exception {
        UDomain d = ul.registerDomain("location");
        long far = ul.now() + 3600;
        d.locked("alice", r -> {
            r.insert("sip:a@1", ci(500, far, "c", 1));
            r.insert("sip:b@1", ci(UContact.Q_UNSPECIFIED, far, "c", 1));
            r.insert("sip:c@1", ci(900, far, "c", 1));
            r.insert("sip:d@1", ci(500, far, "c", 1));
            return null;
        });
        List<String> order = d.locked("alice", r -> r.contacts().stream().map(UContact::contact).toList());
        assertEquals(List.of("sip:c@1", "sip:a@1", "sip:d@1", "sip:b@1"), order);
        assertEquals(1, d.users());
        assertEquals(4, d.contactCount());
    }

    @Test
    void cseqChecksOfGetUcontact() throws Exception {
        UDomain d = ul.registerDomain("location");
        long far = ul.now() + 3600;
        d.locked("bob", r -> r.insert("sip:b@1", ci(-1, far, "call", 5)));
        assertEquals(URecord.Found.OLD_CSEQ, d.locked("bob", r -> r.find("sip:b@1", "call", null, 4).found()));
        assertEquals(URecord.Found.RETRANSMISSION, d.locked("bob", r -> r.find("sip:b@1", "call", null, 5).found()));
        assertEquals(URecord.Found.FOUND, d.locked("bob", r -> r.find("sip:b@1", "call", null, 6).found()));
        assertEquals(URecord.Found.FOUND, d.locked("bob", r -> r.find("sip:b@1", "other", null, 1).found()));
        assertEquals(URecord.Found.NOT_FOUND, d.locked("bob", r -> r.find("sip:x@1", "call", null, 9).found()));
    }

    @Test
    void timerDropsExpiredContactsAndEmptyRecords() throws Exception {
        UDomain d = ul.registerDomain("location");
        long now = ul.now();
        d.locked("carol", r -> {
            r.insert("sip:gone@1", ci(-1, now - 1, "c", 1));
            r.insert("sip:perm@1", ci(-1, 0, "c", 1));
            return null;
        });
        d.locked("dave", r -> r.insert("sip:gone@2", ci(-1, now - 5, "c", 1)));
        d.timer(now);
        assertEquals(1, d.users());
        assertEquals(List.of("sip:perm@1"), d.locked("carol", r -> r.contacts().stream().map(UContact::contact).toList()));
        assertEquals(2, d.expired.sum());
    }

    @Test
    @SuppressWarnings("unchecked")
    void rpcShapesAreKamailios() throws Exception {
        UDomain d = ul.registerDomain("location");
        RpcRegistry reg = new RpcRegistry();
        ul.registerRpc(reg);
        reg.call("ul.add", List.of("location", "eve", "sip:eve@10.0.0.9", "120", "0.5", ".", "0", "0", "4294967295"));
        Map<String, Object> dump = (Map<String, Object>) reg.call("ul.dump", List.of());
        Map<String, Object> dom = (Map<String, Object>) member(((List<Object>) dump.get("Domains")).get(0), "Domain");
        assertEquals(List.of("Domain", "Size", "AoRs", "Stats"), List.copyOf(dom.keySet()));
        assertEquals(1024, dom.get("Size"));
        Map<String, Object> info = (Map<String, Object>) member(((List<Object>) dom.get("AoRs")).get(0), "Info");
        Map<String, Object> c = (Map<String, Object>) member(((List<Object>) info.get("Contacts")).get(0), "Contact");
        assertEquals(List.of("Address", "Expires", "Q", "Call-ID", "CSeq", "User-Agent", "Received", "Path", "State", "Flags",
                "CFlags", "Socket", "Methods", "Ruid", "Instance", "Reg-Id", "Server-Id", "Tcpconn-Id", "Keepalive",
                "Last-Keepalive", "KA-Roundtrip", "Last-Modified"), List.copyOf(c.keySet()));
        assertEquals("sip:eve@10.0.0.9", c.get("Address"));
        assertEquals(0.5, c.get("Q"));
        assertEquals("dfjrewr12386fd6-343@kamailio.rpc", c.get("Call-ID"));
        assertEquals("[not set]", c.get("Path"));
        assertEquals(new RpcUnsigned(-1), c.get("Methods"), "\"u\": kamcmd shows -1, jsonrpcs 4294967295");
        assertEquals(Map.of("Records", 1, "Max-Slots", 1), dom.get("Stats"));
        RpcException e = assertThrows(RpcException.class, () -> reg.call("ul.lookup", List.of("location", "nobody")));
        assertEquals("AOR not found in location table", e.getMessage());
        assertEquals("Domain table not found",
                assertThrows(RpcException.class, () -> reg.call("ul.rm", List.of("nosuch", "eve"))).getMessage());
        assertEquals(404, assertThrows(RpcException.class, () -> reg.call("ul.rm_contact", List.of("location", "eve", "sip:x@1"))).code());
        reg.call("ul.rm", List.of("location", "eve"));
        assertEquals(0, d.users());
    }

    /** An entry added to an array by name, as Kamailio's struct_add on an array handle adds it. */
    private static Object member(Object entry, String name) {
        RpcMember m = assertInstanceOf(RpcMember.class, entry);
        assertEquals(name, m.name());
        return m.value();
    }
}
