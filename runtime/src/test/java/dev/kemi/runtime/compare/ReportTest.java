package dev.kemi.runtime.compare;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import dev.kemi.runtime.cli.CompareCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportTest {
    @TempDir Path dir;

    private CompareReport divergent() throws Exception {
        return Fixtures.compare(List.of(Fixtures.cfg(dir, "a.cfg"), Fixtures.cfg(dir, "b.cfg", "variant=bye-header", "seed=4")),
                List.of(Fixtures.corpus("basic-call"), Fixtures.corpus("busy")));
    }

    @Test
    void textShowsFirstDivergenceLinesAndBothLadders() throws Exception {
        String text = TextReport.render(divergent());
        assertTrue(text.contains("  [A] a.cfg (native)  (baseline)\n"), text);
        assertTrue(text.contains("basic-call: B differs from A at proxy message 6\n"), text);
        assertTrue(text.contains("  A: proxy -> bob: BYE\n  B: proxy -> bob: BYE\n"), text);
        assertTrue(text.contains("\n  +X-Divergent: yes\n"), text);
        assertTrue(text.contains(">>[  1200ms] proxy -> bob: BYE"), text);
        assertTrue(text.contains("busy: identical\n"), text);
        assertTrue(text.endsWith("1 identical, 1 different, 0 not exercised (exit 1)\n"), text);
    }

    @Test
    void jsonCarriesTheSameFacts() throws Exception {
        JsonNode j = new ObjectMapper().readTree(JsonReport.render(divergent()));
        assertEquals(1, j.path("exitCode").asInt());
        JsonNode call = j.path("scenarios").get(0);
        assertEquals("basic-call", call.path("name").asText());
        JsonNode d = call.path("comparisons").get(0).path("divergence");
        assertEquals(6, d.path("message").asInt());
        assertEquals("proxy -> bob: BYE", d.path("b").asText());
        assertTrue(d.path("diff").toString().contains("+X-Divergent: yes"));
        assertEquals(13, call.path("runs").get(0).path("ladder").size());
        assertEquals("identical", j.path("scenarios").get(1).path("verdict").asText());
        assertEquals(1, j.path("different").asInt());
    }

    @Test
    void htmlHasLaddersAndHighlightedLines() throws Exception {
        String html = HtmlReport.render(divergent());
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertEquals(2, html.split("<svg ", -1).length - 1, "one ladder per side of the one divergence");
        assertTrue(html.contains("<g class=\"ev div\">"), "the divergent arrow is marked");
        assertTrue(html.contains("<span class=\"add\">+X-Divergent: yes</span>"), "diff line highlighted");
        assertTrue(html.contains("<span class=\"add\">X-Divergent: yes</span>"), "line highlighted in B's message");
        assertTrue(html.contains(">alice</text>") && html.contains(">proxy</text>") && html.contains(">bob</text>"));
        assertTrue(html.contains("differs at message 6"));
    }

    private int cli(String... args) {
        CommandLine cl = new CommandLine(new CompareCommand(FakeProxy.FACTORY));
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(new StringWriter()));
        // the fake proxy's cfgs are not Kamailio's: no oracle
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--oracle";
        all[args.length + 1] = "none";
        return cl.execute(all);
    }

    @Test
    void commandExitCodesAndOutput() throws Exception {
        String a = Fixtures.cfg(dir, "a.cfg").toString();
        String same = Fixtures.cfg(dir, "same.cfg", "seed=8").toString();
        String other = Fixtures.cfg(dir, "other.cfg", "variant=no-100").toString();
        String corpus = Fixtures.CORPUS.toString();
        Path out = dir.resolve("r.html");
        assertEquals(0, cli(a, same, "--scenarios", corpus, "--only", "basic-call", "--only", "busy"));
        // the fake proxy has no failure_route: both sides stop at the same step, which proves nothing
        assertEquals(2, cli(a, same, "--scenarios", corpus, "--only", "failover"), "not exercised is not identical");
        assertEquals(1, cli(a, same, other, "--scenarios", corpus, "--only", "busy", "--format", "html", "--out", out.toString()));
        assertTrue(Files.readString(out).contains("other.cfg"));
        assertEquals(2, cli(a, "--scenarios", corpus), "one configuration is not a comparison");
        assertEquals(2, cli(a, same, "--scenarios", dir.resolve("nowhere").toString()));
        assertEquals(2, cli(a, same, "--format", "xml", "--scenarios", corpus));
        assertEquals(2, cli(a, same, "--scenarios", corpus, "--only", "no-such-scenario"));
        CommandLine noProxy = new CommandLine(new CompareCommand(null));
        noProxy.setErr(new PrintWriter(new StringWriter()));
        assertEquals(2, noProxy.execute(a, same, "--scenarios", corpus, "--oracle", "none"));
        CommandLine unknownOracle = new CommandLine(new CompareCommand(FakeProxy.FACTORY));
        StringWriter err = new StringWriter();
        unknownOracle.setErr(new PrintWriter(err));
        assertEquals(2, unknownOracle.execute(a, same, "--scenarios", corpus, "--oracle", "maybe"));
        assertTrue(err.toString().contains("unknown oracle 'maybe'"), err.toString());
    }
}
