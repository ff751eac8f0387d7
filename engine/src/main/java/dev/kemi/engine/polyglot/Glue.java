package dev.kemi.engine.polyglot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.Source;

/** The host's script-side halves (glue.py, glue.js next to this class), named so script errors skip their frames. */
final class Glue {
    private Glue() {}

    static Source load(String language, String resource) {
        try (InputStream in = Glue.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Source.newBuilder(language, text, ScriptErrors.GLUE_PREFIX + language + ">").buildLiteral();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
