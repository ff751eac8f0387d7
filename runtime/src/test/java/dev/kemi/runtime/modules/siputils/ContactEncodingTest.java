package dev.kemi.runtime.modules.siputils;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.invite;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.transport.Protocol;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** encode_contact / decode_contact and contact_param_* as contact_ops.c does them. */
class ContactEncodingTest {
    private final SiputilsModule su = new SiputilsModule();
    private final FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.0.1", 5080));

    private static String contactLine(MessageContext c) {
        String out = new String(c.msg().toBytes(), StandardCharsets.ISO_8859_1);
        for (String l : out.split("\r\n")) if (l.startsWith("Contact:")) return l;
        throw new AssertionError("no Contact in " + out);
    }

    private static String sentRuri(MessageContext c) {
        try {
            return SipMessage.parse(c.msg().toBytes()).requestUri();
        } catch (dev.kemi.runtime.sip.SipParseException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void encodeContactPacksFieldsAndDropsOtherParams() {
        MessageContext c = ctx(svc, invite().replace("Contact: <sip:alice@127.0.0.2:5070>",
                "Contact: \"A\" <sip:alice:pw@10.0.0.5:5070;transport=tcp;ob>;expires=60, sip:bob@10.0.0.6"));
        assertEquals(1, su.encode_contact(c, "enc", "192.0.2.1"));
        assertEquals("Contact: \"A\" <sip:enc*alice*pw*10.0.0.5*5070*tcp@192.0.2.1>;expires=60, sip:enc*bob**10.0.0.6**@192.0.2.1",
                contactLine(c));
    }

    @Test
    void encodeWithoutContactOrSipsFails() {
        assertEquals(-1, su.encode_contact(ctx(svc, invite().replace("Contact: <sip:alice@127.0.0.2:5070>\n", "")), "p", "1.2.3.4"));
        assertEquals(ContactCodec.BAD_URI, su.encode_contact(ctx(svc, invite().replace("<sip:alice@", "<sips:alice@")), "p", "1.2.3.4"));
    }

    @Test
    void decodeContactRestoresTheRuri() {
        MessageContext c = ctx(svc, invite().replace("INVITE sip:bob@127.0.0.1 ", "INVITE sip:enc*alice*pw*10.0.0.5*5070*tcp@192.0.2.1;lr "));
        assertEquals(1, su.decode_contact(c));
        assertEquals("sip:alice:pw@10.0.0.5:5070;transport=tcp;lr", sentRuri(c));
        MessageContext bare = ctx(svc, invite().replace("INVITE sip:bob@127.0.0.1 ", "INVITE sip:x**bob*10.0.0.6**@192.0.2.1 "));
        assertEquals(-3, su.decode_contact(bare)); // a password without a user
        assertEquals(-26, su.decode_contact(ctx(svc, invite()))); // no separators
        assertEquals(-23, su.decode_contact(ctx(svc, invite().replace("INVITE sip:bob@127.0.0.1 ", "INVITE sip:127.0.0.1 "))));
        assertEquals(-2, su.decode_contact(ctx(svc, invite().replace("INVITE sip:bob@127.0.0.1 ", "INVITE sip:p*u***5060*@1.2.3.4 "))));
    }

    @Test
    void decodeContactHeaderUndoesEncode() {
        MessageContext c = ctx(svc, invite().replace("Contact: <sip:alice@127.0.0.2:5070>",
                "Contact: <sip:enc*alice**10.0.0.5*5070*udp@192.0.2.1>;expires=60"));
        assertEquals(1, su.decode_contact_header(c));
        assertEquals("Contact: <sip:alice@10.0.0.5:5070;transport=udp>;expires=60", contactLine(c));
    }

    @Test
    void separatorParam() {
        su.contactFldsSeparator("#-");
        MessageContext c = ctx(svc, invite());
        assertEquals(1, su.encode_contact(c, "x", "1.2.3.4"));
        assertEquals("Contact: <sip:x#alice##127.0.0.2#5070#@1.2.3.4>", contactLine(c));
    }

    @Test
    void paramEncodeAndDecode() {
        MessageContext c = ctx(svc, invite().replace("Contact: <sip:alice@127.0.0.2:5070>",
                "Contact: <sip:alice@127.0.0.2:5070;transport=udp>;+sip.instance=\"x\", sip:b@h;expires=5"));
        assertEquals(1, su.contact_param_encode(c, "ctx", "sip:127.0.0.1:5080"));
        String a = ContactCodec.paramValue("sip:alice@127.0.0.2:5070;transport=udp");
        String b = ContactCodec.paramValue("sip:b@h");
        assertTrue(!a.contains("=") && !a.contains("+") && !a.contains("/"), a);
        assertEquals("Contact: <sip:127.0.0.1:5080;ctx=" + a + ">;+sip.instance=\"x\", <sip:127.0.0.1:5080;ctx=" + b + ">;expires=5",
                contactLine(c));

        MessageContext d = ctx(svc, invite().replace("Contact: <sip:alice@127.0.0.2:5070>",
                "Contact: <sip:127.0.0.1:5080;ctx=" + a + ";lr>;expires=5"));
        assertEquals(1, su.contact_param_decode(d, "CTX"));
        assertEquals("Contact: <sip:alice@127.0.0.2:5070;transport=udp>;expires=5", contactLine(d));

        MessageContext r = ctx(svc, invite().replace("INVITE sip:bob@127.0.0.1 ", "INVITE sip:127.0.0.1:5080;ctx=" + a + " "));
        assertEquals(1, su.contact_param_decode_ruri(r, "ctx"));
        assertEquals("sip:alice@127.0.0.2:5070;transport=udp", sentRuri(r));
        assertEquals(1, su.contact_param_decode_ruri(ctx(svc, invite()), "ctx"));
        assertEquals(-1, su.contact_param_decode_ruri(ctx(svc, invite().replace("INVITE sip:bob@127.0.0.1 ", "INVITE sip:h;ctx=*** ")), "ctx"));
    }

    @Test
    void paramRemove() {
        MessageContext c = ctx(svc, invite().replace("Contact: <sip:alice@127.0.0.2:5070>",
                "Contact: <sip:alice@127.0.0.2:5070;ctx=abc;lr>;expires=5\nContact: <sip:b@h;CTX>"));
        assertEquals(1, su.contact_param_rm(c, "ctx"));
        String out = new String(c.msg().toBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(out.contains("Contact: <sip:alice@127.0.0.2:5070;lr>;expires=5\r\nContact: <sip:b@h>\r\n"), out);
        assertEquals(1, su.contact_param_rm(ctx(svc, invite().replace("Contact: <sip:alice@127.0.0.2:5070>\n", "")), "ctx"));
    }
}
