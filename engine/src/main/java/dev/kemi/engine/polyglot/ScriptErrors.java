package dev.kemi.engine.polyglot;

import dev.kemi.api.ScriptException;
import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

/**
 * Turns guest exceptions into "file:line: reason" plus a script-level traceback. Python frames
 * are read from the exception's own {@code __traceback__} (GraalPy's polyglot frames only carry
 * the function's span, not the current line); JS frames from the polyglot stack. An interrupted
 * call (watchdog) has no Python exception: its location is the polyglot stack's innermost user
 * frame, for Python the first line of the running function (its def), for JS the current line.
 * Must run on the thread that got the exception, before its context closes.
 */
final class ScriptErrors {
    /** Sources of our own glue code; never reported as the error location. */
    static final String GLUE_PREFIX = "<kemi-";

    private ScriptErrors() {}

    record Location(String file, int line, String function) {
        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    /** Where the error happened in the user's script (innermost user frame); fallback is the script file. */
    static Location locate(PolyglotException e, String fallbackFile) {
        Location syntax = syntaxLocation(e);
        if (syntax != null) return syntax;
        List<Location> frames = frames(e);
        if (!frames.isEmpty()) return frames.get(0);
        SourceSection s = e.getSourceLocation(); // a JS SyntaxError has no frames, only this
        if (s != null && s.isAvailable() && !s.getSource().getName().startsWith(GLUE_PREFIX)) {
            return new Location(s.getSource().getPath() != null ? s.getSource().getPath() : s.getSource().getName(), s.getStartLine(), null);
        }
        return new Location(fallbackFile, 0, null);
    }

    /**
     * The message and the user's frames, innermost first, as a log-ready traceback. Of a syntax
     * error only the first line (file:line:column and the reason): GraalJS appends the offending
     * source line, which for {@code load("/etc/passwd")} is the file's content.
     */
    static String traceback(PolyglotException e) {
        String message = String.valueOf(e.getMessage());
        if (e.isSyntaxError() && message.indexOf('\n') >= 0) message = message.substring(0, message.indexOf('\n'));
        StringBuilder b = new StringBuilder(message);
        for (Location l : frames(e)) {
            b.append("\n  at ").append(l.function() == null ? "<top>" : l.function())
                    .append(" (").append(l).append(')');
        }
        return b.toString();
    }

    static ScriptException toScriptException(PolyglotException e, String fallbackFile) {
        Location l = locate(e, fallbackFile);
        return new ScriptException(l.file(), l.line(), 0, traceback(e), e);
    }

    /** User frames (glue excluded), innermost first. */
    private static List<Location> frames(PolyglotException e) {
        List<Location> out = pythonFrames(e);
        if (out != null) return out;
        out = new ArrayList<>();
        for (PolyglotException.StackFrame f : e.getPolyglotStackTrace()) {
            if (!f.isGuestFrame()) continue;
            SourceSection s = f.getSourceLocation();
            if (s == null || !s.isAvailable() || s.getSource().getName().startsWith(GLUE_PREFIX)) continue;
            String file = s.getSource().getPath() != null ? s.getSource().getPath() : s.getSource().getName();
            out.add(new Location(file, s.getStartLine(), f.getRootName()));
        }
        return out;
    }

    private static List<Location> pythonFrames(PolyglotException e) {
        Value exc = guest(e);
        if (exc == null || !exc.hasMember("__traceback__")) return null;
        List<Location> out = new ArrayList<>();
        for (Value tb = exc.getMember("__traceback__"); tb != null && !tb.isNull(); tb = tb.getMember("tb_next")) {
            Value code = tb.getMember("tb_frame").getMember("f_code");
            String file = code.getMember("co_filename").asString();
            if (file.startsWith(GLUE_PREFIX)) continue;
            out.add(0, new Location(file, tb.getMember("tb_lineno").asInt(), code.getMember("co_name").asString()));
        }
        return out;
    }

    /** Python SyntaxError carries the user's filename/lineno itself. */
    private static Location syntaxLocation(PolyglotException e) {
        Value exc = guest(e);
        if (exc == null || !exc.hasMember("lineno") || !exc.hasMember("filename")) return null;
        Value file = exc.getMember("filename");
        Value line = exc.getMember("lineno");
        if (file == null || !file.isString() || line == null || !line.fitsInInt()) return null;
        return new Location(file.asString(), line.asInt(), null);
    }

    private static Value guest(PolyglotException e) {
        if (!e.isGuestException()) return null;
        try {
            return e.getGuestObject();
        } catch (IllegalStateException closed) {
            return null;
        }
    }
}
