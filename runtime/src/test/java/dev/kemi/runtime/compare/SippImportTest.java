package dev.kemi.runtime.compare;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped SIPp scenarios (tests' calls/, bench/sipp/) imported and played through Kemi Proxy
 * itself (kamailio/native.cfg, in-process on the virtual network): each pair completes as it does
 * under SIPp, and what cannot be translated is an error with file:line.
 */
class SippImportTest {
    private static final Path CALLS = Path.of("../tests/src/test/resources/calls");
    private static final Path BENCH = Path.of("../bench/sipp");
    private static final Path NATIVE = Fixtures.CORPUS.resolve("kamailio/native.cfg");

    @TempDir Path dir;

    /** A calls/ file with the test placeholders filled in as CallsTest does. */
    private Path calls(String name, String code) throws IOException {
        String text = Files.readString(CALLS.resolve(name)).replaceAll("[ \\t]*\\{headers\\}\\n", "")
                .replace("{ruri_params}", "").replace("{timewait}", "500").replace("{code}", code);
        return Files.writeString(dir.resolve(name), text);
    }

    private static ScenarioResult play(Scenario sc) throws Exception {
        return new CompareSession(new PipelineProxyFactory(), Explainer.standard()).play(0, ConfigSide.of(NATIVE), sc);
    }

    private static void completes(ScenarioResult r) {
        assertNull(r.failure(), () -> r.failure() + "\n" + String.join("\n", r.trace().ladder()));
    }

    @Test
    void callWithItsUasCompletes() throws Exception {
        Scenario sc = SippImport.load(calls("uac_call.xml", ""), calls("uas_answer.xml", ""));
        assertEquals("uac_call+uas_answer", sc.name());
        ScenarioResult r = play(sc);
        completes(r);
        List<String> ladder = r.trace().ladder().stream().map(l -> l.substring(l.indexOf(']') + 2)).toList();
        // the uas pauses 100 ms between its 180 and its 200: the 180 is relayed first
        assertEquals(List.of("uac -> proxy: INVITE", "proxy -> uac: 100 trying -- your call is important to us", "proxy -> uas: INVITE",
                "uas -> proxy: 180 Ringing", "proxy -> uac: 180 Ringing", "uas -> proxy: 200 OK", "proxy -> uac: 200 OK",
                "uac -> proxy: ACK", "proxy -> uas: ACK",
                "uac -> proxy: BYE", "proxy -> uas: BYE", "uas -> proxy: 200 OK", "proxy -> uac: 200 OK"), ladder);
        String invite = r.trace().events().get(0).text();
        // SIPp's keywords: [service], [remote_ip]:[remote_port] = the UAS, [pid]/[call_number] in the tag, [len]
        assertTrue(invite.startsWith("INVITE sip:service@127.0.0.1:5072 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5071;branch=z9hG4bK-uac-1\r\n"), invite);
        assertTrue(invite.contains("\r\nFrom: sipp <sip:sipp@127.0.0.1:5071>;tag=4242SIPpTag001\r\n"), invite);
        // [last_Via:] etc. copied by the UAS from the INVITE it received, [last_Record-Route:] too
        String ok = r.trace().events().get(5).text();
        assertTrue(ok.contains("\r\nRecord-Route: <sip:127.0.0.1:5080;lr;ftag=4242SIPpTag001>\r\n") && ok.contains("To: service <sip:service@127.0.0.1:5072>;tag=4242SIPpTag011\r\n"), ok);
        // the ACK and BYE follow [routes] and [next_url]
        String bye = r.trace().events().get(9).text();
        assertTrue(bye.startsWith("BYE sip:127.0.0.1:5072;transport=UDP SIP/2.0\r\n") && bye.contains("\r\nRoute: <sip:127.0.0.1:5080;lr;ftag=4242SIPpTag001>\r\n"), bye);
    }

    @Test
    void cancelAgainstARingingUasWithItsEregCompletes() throws Exception {
        ScenarioResult r = play(SippImport.load(calls("uac_cancel.xml", ""), calls("uas_ring.xml", "")));
        completes(r);
        // the 487 carries the INVITE's Vias, captured by <ereg> into $vias, and [last_cseq_number]
        TraceEvent r487 = r.trace().events().stream().filter(e -> e.arrow().equals("uas -> proxy: 487 Request Terminated")).findFirst().orElseThrow();
        assertTrue(r487.text().contains("\r\nCSeq: 1 INVITE\r\n") && r487.text().contains(";branch=z9hG4bK-4242-1-inv"), r487.text());
        // the uac ACKs the 487 itself (its file says so), nothing does it for it
        assertEquals(1, r.trace().events().stream().filter(e -> e.arrow().equals("uac -> proxy: ACK")).count());
    }

    @Test
    void busyAndBenchScenariosComplete() throws Exception {
        completes(play(SippImport.load(calls("uac_rejected.xml", "486"), calls("uas_busy.xml", ""))));
        completes(play(SippImport.load(BENCH.resolve("uac_rr.xml"), BENCH.resolve("uas_rr.xml"))));
        ScenarioResult options = play(SippImport.load(BENCH.resolve("options.xml").toString()));
        completes(options);
        // alone, [remote_ip]:[remote_port] is the proxy
        assertTrue(options.trace().events().get(0).text().startsWith("OPTIONS sip:127.0.0.1:5080 SIP/2.0\r\n"));
    }

    @Test
    void compareTakesSippFilesOnTheCommandLine() throws Exception {
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cl = new picocli.CommandLine(new dev.kemi.runtime.cli.CompareCommand(new PipelineProxyFactory()));
        cl.setOut(new java.io.PrintWriter(out));
        cl.setErr(new java.io.PrintWriter(out));
        int code = cl.execute(NATIVE.toString(), NATIVE.toString(), "--scenarios", calls("uac_call.xml", "") + "," + calls("uas_answer.xml", ""),
                "--scenarios", BENCH.resolve("options.xml").toString(), "--oracle", "none");
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("\nuac_call+uas_answer: identical\noptions: identical\n"), out.toString());
    }

    @Test
    void whatCannotBeTranslatedIsAnErrorWithFileAndLine() throws Exception {
        Path rejected = Files.writeString(dir.resolve("raw.xml"), Files.readString(CALLS.resolve("uac_rejected.xml")));
        ScenarioException e = assertThrows(ScenarioException.class, () -> SippImport.load(rejected, null));
        assertEquals(rejected + ":23: recv response must be a status code, got '{code}'", e.getMessage());
        Path nop = Files.writeString(dir.resolve("nop.xml"), """
                <?xml version="1.0"?>
                <scenario name="x">
                  <send><![CDATA[
                    OPTIONS sip:[remote_ip] SIP/2.0
                  ]]></send>
                  <nop><action><exec command="true"/></action></nop>
                </scenario>
                """);
        e = assertThrows(ScenarioException.class, () -> SippImport.load(nop, null));
        assertEquals(nop + ":6: unsupported SIPp element <nop>", e.getMessage());
        Path keyword = Files.writeString(dir.resolve("kw.xml"), """
                <?xml version="1.0"?>
                <scenario name="x">
                  <send><![CDATA[
                    OPTIONS sip:[remote_ip] SIP/2.0
                    X-Auth: [authentication]
                  ]]></send>
                </scenario>
                """);
        e = assertThrows(ScenarioException.class, () -> SippImport.load(keyword, null));
        assertEquals(keyword + ":5: unsupported SIPp keyword [authentication]", e.getMessage());
        Path lost = Files.writeString(dir.resolve("lost.xml"), "<scenario>\n<recv response=\"200\" lost=\"10\"/>\n</scenario>\n");
        e = assertThrows(ScenarioException.class, () -> SippImport.load(lost, null));
        assertTrue(e.getMessage().startsWith(lost + ":2: unsupported attribute lost= on <recv>"), e.getMessage());
    }
}
