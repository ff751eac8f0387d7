package dev.kemi.runtime.compare;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML report as a browser sees it (skipped when no headless Chromium is installed). */
class HtmlRenderTest {
    @TempDir Path dir;

    private static Path chromium() {
        for (String name : List.of("chromium", "chromium-browser")) {
            for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path c = Path.of(p, name);
                if (Files.isExecutable(c)) return c;
            }
        }
        return null;
    }

    @Test
    void renderedDomShowsTheDivergence() throws Exception {
        Path chromium = chromium();
        assertTrue(chromium != null, "chromium not installed: ./kemi test installs it");
        CompareReport r = Fixtures.compare(List.of(Fixtures.cfg(dir, "a.cfg"), Fixtures.cfg(dir, "b.cfg", "variant=bye-header")),
                List.of(Fixtures.corpus("basic-call")));
        Path html = Files.writeString(dir.resolve("report.html"), HtmlReport.render(r));
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + dir.resolve("profile"), "--dump-dom", html.toUri().toString())
                .redirectError(dir.resolve("chromium.log").toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium did not finish");
        String dom = new String(out, StandardCharsets.UTF_8);
        assertTrue(dom.contains("basic-call: B differs from A at proxy message 6"), dom);
        assertTrue(dom.contains("<span class=\"add\">+X-Divergent: yes</span>"), dom);
        assertTrue(dom.contains("<g class=\"ev div\">"), "the ladder with the divergent arrow is in the DOM");
    }
}
