package dev.kemi.engine.cfg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Loads cfg text written to a temp dir, with the fake modules tst and tm loaded. */
final class CfgTesting {
    static final String MODULES = "loadmodule \"tst\"\nloadmodule \"tm\"\n";

    final Path dir;
    final Fakes.Pvs pvs = new Fakes.Pvs();

    CfgTesting(Path dir) {
        this.dir = dir;
    }

    Path write(String name, String text) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads MODULES + text as "main.cfg" (module lines first: error lines are +2). */
    LoadedConfig load(String text, String... defines) {
        return ConfigLoader.load(write("main.cfg", MODULES + text), Set.of(defines), new Fakes.Catalog(), pvs, List.of());
    }

    /** Runs request_route of the cfg once with a fresh context. */
    Fakes.Ctx request(LoadedConfig c) {
        Fakes.Ctx ctx = new Fakes.Ctx();
        c.script().onRequest(ctx);
        return ctx;
    }

    Fakes.Ctx request(String text) {
        return request(load(text));
    }

    /** The value of $var(r) after "request_route { $var(r) = EXPR; }". */
    Object eval(String expr, Fakes.Ctx ctx) {
        LoadedConfig c = load("request_route {\n$var(r) = " + expr + ";\n}\n");
        c.script().onRequest(ctx);
        return pvs.vars.get("$var(r)");
    }
}
