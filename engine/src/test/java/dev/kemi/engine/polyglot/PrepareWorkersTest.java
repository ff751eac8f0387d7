package dev.kemi.engine.polyglot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One context per worker is made and initialised (child_init) before the first message. */
@Timeout(180)
class PrepareWorkersTest {
    @TempDir
    Path dir;

    @Test
    void everyWorkerContextIsReadyBeforeTraffic() throws IOException {
        Path p = ScriptFiles.write(dir, "main.py", "import KSR\n\ndef mod_init():\n    return H()\n\nclass H:\n"
                + "    def child_init(self, rank):\n        open('" + dir + "/rank-%d' % rank, 'w').close()\n        return 0\n\n"
                + "    def ksr_request_route(self, msg):\n        return 1\n");
        try (PythonScript s = PolyglotScripts.python(p, TestModules.table(), TestModules.OPTIONS)) {
            s.prepareWorkers(3);
            s.prepareWorkers(2); // never fewer than there are
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of("rank-1", "rank-2", "rank-3"),
                        files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("rank-")).sorted().toList());
            }
        }
    }
}
