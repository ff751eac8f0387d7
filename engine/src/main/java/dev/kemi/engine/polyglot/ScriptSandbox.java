package dev.kemi.engine.polyglot;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a Python or JS script is denied (modparam {@code sandbox} of app_python3 / app_jsdt, ours,
 * not Kamailio's). By default a script has what CPython has under Kamailio: files and sockets,
 * native code (ctypes, C extensions) and processes for Python; files for JS (GraalJS has no
 * native access or processes at all). Denying "io" takes files and sockets away, "native" the
 * native code (Python's os module then runs on Java), "process" subprocesses.
 */
public record ScriptSandbox(Set<Denied> denied) {
    public enum Denied { IO, NATIVE, PROCESS }

    public static final ScriptSandbox NONE = new ScriptSandbox(EnumSet.noneOf(Denied.class));

    public ScriptSandbox {
        denied = denied.isEmpty() ? EnumSet.noneOf(Denied.class) : EnumSet.copyOf(denied);
    }

    /** "io,native,process" (any subset, comma or space separated), "all", or "" / "none". */
    public static ScriptSandbox parse(String spec) {
        EnumSet<Denied> d = EnumSet.noneOf(Denied.class);
        for (String w : spec.toLowerCase(Locale.ROOT).split("[,\\s]+")) {
            switch (w) {
                case "", "none" -> { }
                case "all" -> d.addAll(EnumSet.allOf(Denied.class));
                case "io" -> d.add(Denied.IO);
                case "native" -> d.add(Denied.NATIVE);
                case "process" -> d.add(Denied.PROCESS);
                default -> throw new IllegalArgumentException(
                        "sandbox: unknown item '" + w + "' (expected io, native, process, all or none)");
            }
        }
        return new ScriptSandbox(d);
    }

    public boolean denies(Denied what) {
        return denied.contains(what);
    }
}
