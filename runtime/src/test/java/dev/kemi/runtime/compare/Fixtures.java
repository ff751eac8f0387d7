package dev.kemi.runtime.compare;

import dev.kemi.api.Export;
import dev.kemi.api.FunctionTable;
import dev.kemi.api.Module;
import dev.kemi.api.ScriptContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Shared test helpers: fake-proxy cfg files, the corpus, one-scenario runs. */
final class Fixtures {
    static final Path CORPUS = Path.of("../scripts/scenarios");

    @Module("tm")
    public static final class Tm {
        @Export public int t_check_trans(ScriptContext c) { return 1; }
        @Export public int t_relay(ScriptContext c) { return 1; }
    }

    @Module("siputils")
    public static final class SipUtils {
        @Export public int has_totag(ScriptContext c) { return 1; }
    }

    @Module("")
    public static final class Core {
        @Export public boolean set_drop(ScriptContext c) { return true; }
        @Export public boolean is_myself_ruri(ScriptContext c) { return true; }
    }

    static final FunctionTable TABLE = FunctionTable.build(List.of(new Tm(), new SipUtils(), new Core()));

    private Fixtures() {}

    /** A fake-proxy cfg: listen lines and options (seed=, variant=, fr=), plus any cfg text. */
    static Path cfg(Path dir, String name, String... lines) throws IOException {
        StringBuilder b = new StringBuilder("listen=udp:127.0.0.1:5060\nlisten=tcp:127.0.0.1:5060\n");
        for (String l : lines) b.append(l).append('\n');
        return Files.writeString(dir.resolve(name), b.toString());
    }

    static Scenario corpus(String name) throws ScenarioException {
        return ScenarioLoader.load(CORPUS.resolve(name + ".yaml"));
    }

    static ScenarioResult play(Path cfg, Scenario sc) throws Exception {
        return new CompareSession(FakeProxy.FACTORY, Explainer.standard()).play(0, ConfigSide.of(cfg), sc);
    }

    static CompareReport compare(List<Path> cfgs, List<Scenario> scenarios) throws IOException {
        List<ConfigSide> sides = new java.util.ArrayList<>();
        for (Path c : cfgs) sides.add(ConfigSide.of(c));
        return new CompareSession(FakeProxy.FACTORY, Explainer.standard()).run(sides, scenarios);
    }
}
