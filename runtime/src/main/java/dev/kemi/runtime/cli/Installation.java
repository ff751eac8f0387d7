package dev.kemi.runtime.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where Kemi Proxy is installed, so its shipped files are found from any working directory. */
final class Installation {
    private Installation() {}

    /**
     * Candidate roots, most specific first: {@code -Dkemi.home} (the launcher sets it), then the
     * checkout the running jar or classes directory lives in ({@code ROOT/runtime/target/...}).
     */
    static List<Path> roots() {
        List<Path> out = new ArrayList<>();
        String home = System.getProperty("kemi.home");
        if (home != null && !home.isBlank()) out.add(Path.of(home));
        try {
            Path code = Path.of(Installation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // runtime/target/runtime-*.jar or runtime/target/classes: three levels below the root
            Path root = code.getParent() == null ? null : code.getParent().getParent();
            if (root != null && root.getParent() != null) out.add(root.getParent());
        } catch (URISyntaxException | RuntimeException e) {
            // no code source (an unusual class loader): only kemi.home then
        }
        return out;
    }

    /** The first of {@code relative} under the roots that exists; the error names every place looked in. */
    static Path find(String relative) {
        List<String> looked = new ArrayList<>();
        for (Path root : roots()) {
            Path p = root.resolve(relative).normalize();
            if (Files.exists(p)) return p;
            looked.add(p.toString());
        }
        throw new IllegalArgumentException("the shipped " + relative + " is not where it should be (looked in "
                + (looked.isEmpty() ? "no installation directory" : String.join(", ", looked)) + ")");
    }
}
