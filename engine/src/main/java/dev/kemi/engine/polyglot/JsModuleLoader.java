package dev.kemi.engine.polyglot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * The host half of app_jsdt's {@code require()} (modparam mode 1): resolves module ids as Kamailio
 * 5.6.3's {@code cb_resolve_module} does and compiles module files wrapped as Duktape's
 * duk_module_node wraps them. The JS half (cache, module object, call) is in glue.js.
 */
final class JsModuleLoader {
    /** duk_module_node's wrapper; the module text starts on line 1 so its line numbers are kept. */
    private static final String WRAP_START = "(function(exports,require,module,__filename,__dirname){";
    private static final String WRAP_END = "\n})";

    private final Path mainFile;
    private final Context context;
    private final Generation generation;

    JsModuleLoader(Path mainFile, Context context, Generation generation) {
        this.mainFile = mainFile;
        this.context = context;
        this.generation = generation;
    }

    /**
     * Kamailio: an id starting with '/' is absolute; any other id (bare, "./", "../") is taken
     * relative to the requiring module's directory, or the loaded script's for the global
     * require; ".js" is appended if missing; the result is the real path of an existing file.
     *
     * @return the resolved id, or null if there is no such file
     */
    static String resolve(String id, String parentId, Path mainFile) {
        String path;
        if (id.startsWith("/")) {
            path = id;
        } else {
            String parent = parentId == null || parentId.isEmpty() ? mainFile.toString() : parentId;
            path = parent.substring(0, parent.lastIndexOf('/') + 1) + id;
        }
        if (!path.endsWith(".js")) path += ".js";
        try {
            Path real = Path.of(path).toRealPath();
            return Files.isRegularFile(real) ? real.toString() : null;
        } catch (IOException | InvalidPathException e) {
            return null;
        }
    }

    String resolve(String id, String parentId) {
        return resolve(id, parentId, mainFile);
    }

    /**
     * The module's wrapper function, compiled under the file's path so errors and stack traces
     * name it with its own line numbers; null if the file cannot be read. The text is the
     * generation's copy (see {@link Generation#moduleText}).
     */
    Value load(String resolvedId) {
        String text = generation.moduleText(resolvedId);
        if (text == null || text.isEmpty()) return null; // Kamailio: "empty content", the module does not load
        String shebang = text.startsWith("#!") ? "//" : ""; // duk_module_node's shebang support
        return context.eval(Source.newBuilder("js", WRAP_START + shebang + text + WRAP_END, resolvedId).buildLiteral());
    }
}
