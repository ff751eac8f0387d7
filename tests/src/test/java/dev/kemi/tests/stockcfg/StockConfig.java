package dev.kemi.tests.stockcfg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Debian's stock kamailio.cfg as the test needs it: its WITH_* defines (with the defines
 * they are nested in), and for a set of defines the loadmodule/modparam lines that are active.
 * Only #!ifdef/#!ifndef/#!else/#!endif/#!define/#!trydef are followed, which is all the file uses.
 */
final class StockConfig {
    static final Path FILE = Path.of("/etc/kamailio/kamailio.cfg");
    private static final Pattern IFDEF = Pattern.compile("^\\s*#!(ifdef|ifndef)\\s+(\\w+)");
    private static final Pattern DEFINE = Pattern.compile("^\\s*#!(define|trydef)\\s+(\\w+)");
    private static final Pattern LOADMODULE = Pattern.compile("^\\s*loadmodule\\s+\"([^\"]+?)(\\.so)?\"");
    private static final Pattern MODPARAM = Pattern.compile("^\\s*modparam\\(\"([^\"]+)\",\\s*\"([^\"]+)\"");

    /** One active loadmodule (param null) or modparam line. */
    record Item(int line, String module, String param) {}

    final List<String> lines;

    StockConfig() throws IOException {
        lines = Files.readAllLines(FILE);
    }

    /** Every WITH_* name tested by #!ifdef, in file order, with the #!ifdef names enclosing its first test. */
    Map<String, Set<String>> withDefines() {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        Deque<String> open = new ArrayDeque<>();
        for (String l : lines) {
            Matcher m = IFDEF.matcher(l);
            if (m.find()) {
                String name = m.group(2);
                if (m.group(1).equals("ifdef") && name.startsWith("WITH_") && !out.containsKey(name)) {
                    Set<String> with = new HashSet<>();
                    for (String o : open) if (o.startsWith("WITH_")) with.add(o);
                    with.add(name);
                    out.put(name, with);
                }
                open.push(m.group(1).equals("ifdef") ? name : "!" + name);
            } else if (l.strip().startsWith("#!endif")) {
                open.pop();
            }
        }
        return out;
    }

    /** The active lines' loadmodule and modparam items, in file order, and whether DBURL is used. */
    record Active(List<Item> items, boolean usesDbUrl) {}

    Active active(Set<String> defines) {
        Set<String> defs = new HashSet<>(defines);
        Deque<Boolean> stack = new ArrayDeque<>();
        boolean on = true;
        List<Item> items = new ArrayList<>();
        boolean dbUrl = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            String s = l.strip();
            Matcher m = IFDEF.matcher(l);
            if (m.find()) {
                stack.push(on);
                on = on && (m.group(1).equals("ifdef") == defs.contains(m.group(2)));
                continue;
            }
            if (s.startsWith("#!else")) {
                boolean outer = stack.peek();
                on = outer && !on;
                continue;
            }
            if (s.startsWith("#!endif")) {
                on = stack.pop();
                continue;
            }
            if (!on) continue;
            Matcher d = DEFINE.matcher(l);
            if (d.find()) {
                defs.add(d.group(2));
                continue;
            }
            if (s.startsWith("#")) continue;
            if (l.contains("DBURL")) dbUrl = true;
            Matcher lm = LOADMODULE.matcher(l);
            if (lm.find()) items.add(new Item(i + 1, lm.group(1), null));
            Matcher mp = MODPARAM.matcher(l);
            if (mp.find()) items.add(new Item(i + 1, mp.group(1), mp.group(2)));
        }
        return new Active(items, dbUrl && !defs.contains("DBURL"));
    }
}
