package dev.kemi.engine.polyglot;

import dev.kemi.api.ScriptException;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --watch}: reloads a script when a source file of its language in its directory (the
 * script or a helper it imports) changes; other files (a log written next to the script) are
 * ignored, or every log line would trigger a reload. Changes are collected until the directory is quiet for {@link #QUIET_MS} so an
 * editor's save (several events) triggers one reload; a failed reload is logged and the old
 * script keeps serving.
 */
public final class ScriptWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScriptWatcher.class);
    static final long QUIET_MS = 200;

    private final PolyglotScript script;
    private final WatchService watcher;
    private final Thread thread;

    private ScriptWatcher(PolyglotScript script) throws IOException {
        this.script = script;
        Path dir = script.file().getParent();
        this.watcher = FileSystems.getDefault().newWatchService();
        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        this.thread = new Thread(this::run, "kemi-script-watch");
        thread.setDaemon(true);
    }

    public static ScriptWatcher watch(PolyglotScript script) throws IOException {
        ScriptWatcher w = new ScriptWatcher(script);
        w.thread.start();
        return w;
    }

    private void run() {
        try {
            for (;;) {
                if (!drain(watcher.take())) continue;
                for (WatchKey k; (k = watcher.poll(QUIET_MS, TimeUnit.MILLISECONDS)) != null; ) drain(k);
                try {
                    script.reload();
                } catch (ScriptException e) {
                    LOG.error("{} (reload rejected, version {} keeps serving)", e.getMessage(), script.version());
                } catch (IllegalStateException e) {
                    return; // script closed
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    /** Consumes the key's events; true if one names a source file of the script's language. */
    private boolean drain(WatchKey k) {
        boolean source = false;
        for (WatchEvent<?> e : k.pollEvents()) {
            if (e.context() instanceof Path p && isSource(script.file(), p)) source = true;
        }
        k.reset();
        return source;
    }

    /** Whether a changed file is a source of the script's language (a .py beside a .py script). */
    static boolean isSource(Path script, Path changed) {
        return extension(changed).equals(extension(script));
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot);
    }

    @Override
    public void close() throws IOException {
        watcher.close();
        thread.interrupt();
    }
}
