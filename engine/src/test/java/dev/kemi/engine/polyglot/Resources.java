package dev.kemi.engine.polyglot;

import java.net.URISyntaxException;
import java.nio.file.Path;

final class Resources {
    private Resources() {}

    static Path path(String name) {
        try {
            return Path.of(Resources.class.getResource("/polyglot/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
