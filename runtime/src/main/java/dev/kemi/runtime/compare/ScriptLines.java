package dev.kemi.runtime.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Finds code lines in a script or cfg (comment lines skipped), for "file:line" in explanations. */
final class ScriptLines {
    record Hit(int line, String text) {}

    private ScriptLines() {}

    static List<Hit> find(String text, Pattern p) {
        List<Hit> out = new ArrayList<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.startsWith("#") && !l.startsWith("#!") || l.startsWith("//") || l.startsWith("*")) continue;
            if (p.matcher(lines.get(i)).find()) out.add(new Hit(i + 1, l));
        }
        return out;
    }
}
