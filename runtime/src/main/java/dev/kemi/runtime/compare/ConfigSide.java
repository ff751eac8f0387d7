package dev.kemi.runtime.compare;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One thing compared: a configuration run in-process, or a proxy already running at an address
 * (e.g. Kamailio itself) played over real sockets.
 *
 * @param script     the routing logic's file: the KEMI script, or the cfg itself for native; null for real
 * @param scriptText its text ("" if unknown)
 * @param cfgText    the cfg's text ("" for real)
 */
public record ConfigSide(String label, Path cfg, Engine engine, Path script, String scriptText, String cfgText, InetSocketAddress real) {
    public enum Engine { NATIVE, PYTHON, JS, UNKNOWN;

        public boolean kemi() {
            return this == PYTHON || this == JS;
        }
    }

    private static final Pattern CFGENGINE = Pattern.compile("(?m)^\\s*cfgengine\\s*\"?\\s*(\\w+)");
    private static final Pattern LOAD = Pattern.compile("modparam\\s*\\(\\s*\"(app_python3?|app_jsdt)\"\\s*,\\s*\"load\"\\s*,\\s*\"([^\"]+)\"");

    /** Reads the cfg to find its engine and KEMI script (modparam app_python3/app_jsdt "load"). */
    public static ConfigSide of(Path cfg) throws IOException {
        String text = Files.readString(cfg);
        Matcher e = CFGENGINE.matcher(stripComments(text));
        String engineName = e.find() ? e.group(1).toLowerCase() : "native";
        Engine engine = switch (engineName) {
            case "native" -> Engine.NATIVE;
            case "python", "python3" -> Engine.PYTHON;
            case "jsdt", "javascript", "js" -> Engine.JS;
            default -> Engine.UNKNOWN;
        };
        Path script = cfg;
        if (engine.kemi()) {
            Matcher l = LOAD.matcher(stripComments(text));
            script = null;
            while (l.find()) script = resolve(cfg, l.group(2));
        }
        String scriptText = script != null && Files.isReadable(script) ? Files.readString(script) : "";
        return new ConfigSide(cfg.getFileName().toString(), cfg, engine, script, scriptText, text, null);
    }

    public static ConfigSide real(InetSocketAddress address) {
        return new ConfigSide("real " + address.getHostString() + ":" + address.getPort(), null, Engine.UNKNOWN, null, "", "", address);
    }

    /** A proxy running at {@code address} with this cfg (e.g. Kamailio started with it): the cfg and its script feed the explanations. */
    public static ConfigSide real(InetSocketAddress address, Path cfg) throws IOException {
        ConfigSide c = of(cfg);
        return new ConfigSide(c.label() + " @ " + address.getHostString() + ":" + address.getPort(), cfg, c.engine(), c.script(), c.scriptText(),
                c.cfgText(), address);
    }

    /** Kamailio resolves relative paths against the working directory; the cfg's folder is the likelier intent. */
    private static Path resolve(Path cfg, String file) {
        Path p = Path.of(file);
        if (p.isAbsolute()) return p;
        Path dir = cfg.toAbsolutePath().getParent();
        Path near = dir == null ? p : dir.resolve(p);
        return Files.exists(near) || !Files.exists(p) ? near : p;
    }

    private static String stripComments(String cfg) {
        // '#' starts a comment unless it is a preprocessor directive (#!define, #!ifdef ...)
        return cfg.replaceAll("(?m)^\\s*#(?!!).*$", "");
    }

    /** Display name of the script file with a line: "route.py:12". */
    public String at(int line) {
        Path p = script != null ? script : cfg;
        return (p == null ? label : p.getFileName().toString()) + ":" + line;
    }
}
