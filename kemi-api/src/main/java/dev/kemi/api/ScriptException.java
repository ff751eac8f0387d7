package dev.kemi.api;

/** A script or configuration error with its location ("file:line[:col]: reason"). */
public class ScriptException extends RuntimeException {
    private final String file;
    private final int line;
    private final int column;

    public ScriptException(String file, int line, int column, String reason) {
        super(location(file, line, column) + ": " + reason);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    public ScriptException(String file, int line, int column, String reason, Throwable cause) {
        this(file, line, column, reason);
        initCause(cause);
    }

    private static String location(String file, int line, int column) {
        return column > 0 ? file + ":" + line + ":" + column : file + ":" + line;
    }

    public String file() { return file; }

    public int line() { return line; }

    public int column() { return column; }
}
