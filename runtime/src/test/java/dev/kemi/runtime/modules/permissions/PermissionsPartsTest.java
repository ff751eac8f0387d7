package dev.kemi.runtime.modules.permissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces Kamailio's behaviour hides in: BRE patterns, address parsing and printing, rule files, the address hash. */
class PermissionsPartsTest {
    @TempDir
    Path dir;

    @Test
    void trustedPatternsAreBasicRegularExpressions() {
        assertTrue(BasicRegex.compile("^sip:1\\(0\\)*@").matcher("sip:1000@x").find());
        assertFalse(BasicRegex.compile("x+").matcher("xx").find(), "+ is literal in BRE");
        assertTrue(BasicRegex.compile("x+").matcher("ax+b").find());
        assertTrue(BasicRegex.compile("a\\{2\\}").matcher("caab").find());
        assertTrue(BasicRegex.compile("(a)").matcher("x(a)").find());
        assertTrue(BasicRegex.compile("*a").matcher("*a").find(), "a leading * is literal");
        assertTrue(BasicRegex.compile("a^b$c").matcher("a^b$c").find(), "^ and $ inside are literal");
        assertTrue(BasicRegex.compile("ab\\|cd").matcher("cd").find(), "GNU alternation");
        assertTrue(BasicRegex.compile("[]a]").matcher("]").find());
        assertThrows(IllegalArgumentException.class, () -> BasicRegex.compile("\\(a\\)\\1"));
    }

    @Test
    void addressesParseAndPrintAsKamailio() {
        assertEquals("10.0.0.1", IpAddr.parse("10.0.0.1").toString());
        assertNull(IpAddr.parse("10.0.0"));
        assertNull(IpAddr.parse("256.0.0.1"));
        assertNull(IpAddr.parse("example.com"));
        assertEquals("2001:db8::1", IpAddr.parse("[2001:DB8:0:0:0:0:0:1]").toString());
        assertEquals("2001:db8:0:1:1:1:1:1", IpAddr.parse("2001:db8:0:1:1:1:1:1").toString());
        assertEquals("::1", IpAddr.parse("::1").toString());
        assertTrue(IpAddr.parse("10.1.2.3").inNet(IpAddr.parse("10.1.0.0"), 16));
        assertFalse(IpAddr.parse("10.2.2.3").inNet(IpAddr.parse("10.1.0.0"), 16));
        assertTrue(IpAddr.parse("10.1.2.3").inNet(IpAddr.parse("10.1.2.0"), 29));
        assertFalse(IpAddr.parse("10.1.2.9").inNet(IpAddr.parse("10.1.2.0"), 29));
    }

    @Test
    void addressTableSplitsAndHashesAsKamailio() {
        AddressTables t = new AddressTables(2);
        t.insert(1, "127.0.62.5", 32, 0, "a");
        t.insert(2, "127.0.62.0", 24, 0, "net");
        t.insert(1, "10.0.0.0", 8, 5060, null);
        t.insert(3, "10.9.0.0", 16, 0, null); // table full: dropped, as Kamailio drops it
        t.insert(3, "example.com", 0, 0, "dom");
        assertThrows(IllegalArgumentException.class, () -> t.insert(1, "1.2.3.4", 33, 0, null));
        // the buckets Kamailio 5.6.3 printed for these addresses
        assertEquals(46, AddressTables.hash(IpAddr.parse("127.0.62.5")));
        assertEquals(41, AddressTables.hash(IpAddr.parse("192.168.1.200")));
        assertEquals(0, AddressTables.hash(IpAddr.parse("::1")));
        assertEquals(105, AddressTables.hash("example.com"));
        assertEquals(31, AddressTables.hash("127.0.62.7"));
        assertEquals(1, t.match(1, IpAddr.parse("127.0.62.5"), 9).grp());
        assertEquals(2, t.find(IpAddr.parse("127.0.62.9"), 9).grp());
        assertNull(t.match(1, IpAddr.parse("10.1.1.1"), 5061));
        assertEquals(1, t.find(IpAddr.parse("10.1.1.1"), 5060).grp(), "subnets in group order");
        assertNull(t.find(IpAddr.parse("10.9.1.1"), 1));
        assertEquals("dom", t.matchDomain(3, "example.com", 5060).tag());
        assertEquals(2, t.dumpSubnets().size());
    }

    @Test
    void addressFileLinesAreGroupAddressMaskPortTag() throws Exception {
        Path f = Files.writeString(dir.resolve("address.list"), String.join("\n",
                "# grp ip mask port tag",
                "1 127.0.62.5",
                "  2 127.0.62.0 24 5060 edge # comment",
                "3 sip.example.com 0 0 dom",
                ""));
        AddressTables t = new AddressTables(512);
        PermissionsModule.AddressFile.load(f, t);
        assertEquals(1, t.match(1, IpAddr.parse("127.0.62.5"), 1234).grp());
        assertEquals("edge", t.match(2, IpAddr.parse("127.0.62.77"), 5060).tag());
        assertNull(t.match(2, IpAddr.parse("127.0.62.77"), 5061));
        assertEquals(3, t.findDomain("sip.example.com", 9).grp());
        Path bad = Files.writeString(dir.resolve("bad.list"), "1\n");
        assertThrows(IllegalStateException.class, () -> PermissionsModule.AddressFile.load(bad, new AddressTables(512)));
    }

    @Test
    void ruleFilesParseAsKamailio() throws Exception {
        Path f = Files.writeString(dir.resolve("r.allow"), String.join("\n",
                "# comment",
                "\"^sip:.*@trusted\\.test$\" : \"^sip:premium@\"",
                "ALL EXCEPT \"^sip:bad@\" : \"^sip:900\", \"^sip:901\"  # trailing comment",
                "broken line without colon",
                "\"^sip:(a\" : ALL",
                ""));
        RuleFile r = RuleFile.load(f);
        assertTrue(r.matches("sip:x@TRUSTED.test", "sip:premium@example"), "case-insensitive");
        assertFalse(r.matches("sip:x@other.test", "sip:premium@example"));
        assertTrue(r.matches("sip:x@other.test", "sip:9011@x"));
        assertFalse(r.matches("sip:bad@other.test", "sip:9011@x"), "EXCEPT");
        assertTrue(RuleFile.load(dir.resolve("missing.allow")).isEmpty());
    }
}
