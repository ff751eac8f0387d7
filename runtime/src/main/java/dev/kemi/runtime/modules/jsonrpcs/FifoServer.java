package dev.kemi.runtime.modules.jsonrpcs;

import dev.kemi.runtime.core.Posix;
import dev.kemi.runtime.rpc.JsonRpcDispatcher;
import dev.kemi.runtime.rpc.SocketFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jsonrpcs' FIFO: JSON documents written to it (kamctl's `printf ... > kamailio_rpc.fifo`), each
 * answered into the FIFO its "reply_name" names under fifo_reply_dir, after Kamailio's checks (a
 * FIFO, not a symbolic link, not hard-linked). Documents are cut by counting braces outside
 * strings, as Kamailio reads them.
 */
final class FifoServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FifoServer.class);
    private static final int MAX_DOCUMENT = 1 << 20;
    private final Path path;
    private final Path replyDir;
    private final JsonRpcDispatcher dispatcher;
    private final RandomAccessFile fifo;
    private final Thread reader;
    private volatile boolean closed;

    private FifoServer(Path path, Path replyDir, JsonRpcDispatcher dispatcher, RandomAccessFile fifo) {
        this.path = path;
        this.replyDir = replyDir;
        this.dispatcher = dispatcher;
        this.fifo = fifo;
        this.reader = new Thread(this::serve, "jsonrpcs-fifo");
        this.reader.setDaemon(true);
    }

    /** Creates the FIFO (replacing a stale one) with its mode and owner, then serves it. */
    static FifoServer start(Path path, int mode, String user, String group, Path replyDir, JsonRpcDispatcher dispatcher)
            throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) throw new IOException("cannot create the FIFO " + path + ": no directory " + dir);
        SocketFiles.clear(path);
        Path staged = SocketFiles.staging(path);
        Posix.mkfifo(staged.toString(), 0600);
        SocketFiles.publish(staged, path, mode, user, group);
        // read-write, as Kamailio keeps a writer open: no end-of-file between clients
        FifoServer s = new FifoServer(path, replyDir, dispatcher, new RandomAccessFile(path.toFile(), "rw"));
        s.reader.start();
        return s;
    }

    Path path() {
        return path;
    }

    private void serve() {
        InputStream in = new java.io.BufferedInputStream(Channels.newInputStream(fifo.getChannel()));
        while (!closed) {
            try {
                String doc = readDocument(in);
                if (doc == null || closed) continue;
                JsonRpcDispatcher.Response r = dispatcher.handle(doc);
                if (r.body() != null && r.replyName() != null) reply(r.replyName(), r.body());
            } catch (IOException | RuntimeException e) {
                if (!closed) log.warn("jsonrpcs FIFO {}: {}", path, e.toString());
            }
        }
    }

    /** The next {...} document, or null for bytes that are not one (too long, stray text). */
    private static String readDocument(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int depth = 0;
        boolean found = false, escaped = false;
        int quote = 0;
        while (true) {
            int c = in.read();
            if (c < 0) throw new IOException("FIFO closed");
            b.write(c);
            if (b.size() > MAX_DOCUMENT) return null;
            if (quote != 0) {
                if (escaped) escaped = false;
                else if (c == '\\') escaped = true;
                else if (c == quote) quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '{') {
                found = true;
                depth++;
            } else if (c == '}') {
                depth--;
            }
            if (found && depth == 0) return b.toString(StandardCharsets.UTF_8).strip();
        }
    }

    private void reply(String name, String body) {
        Path target = replyDir.resolve(name).normalize();
        try {
            if (!target.startsWith(replyDir.normalize())) throw new IOException("reply_name outside " + replyDir);
            if (Files.isSymbolicLink(target)) throw new IOException("it is a symbolic link");
            if (!Files.readAttributes(target, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) throw new IOException("it is not a FIFO");
            Object links = Files.getAttribute(target, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
            if (links instanceof Integer n && n > 1) throw new IOException("it is hard-linked");
            Posix.writeFifoNonBlocking(target.toString(), body.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            log.error("jsonrpcs: cannot answer into {}: {}", target, e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            fifo.close();
        } catch (IOException e) {
            log.debug("closing {}: {}", path, e.toString());
        }
        reader.interrupt();
        try {
            SocketFiles.clear(path);
        } catch (IOException e) {
            log.debug("removing {}: {}", path, e.toString());
        }
    }
}
