package dev.kemi.runtime.rtpproxy;

import java.util.ArrayList;
import java.util.List;

/** One control command split into whitespace-separated arguments (cookie already removed). */
record ControlCommand(List<String> args) {

    /** Splits like rtpproxy: on spaces, tabs, CR and LF, ignoring empty tokens. */
    static List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ' ';
            boolean sep = c == ' ' || c == '\t' || c == '\r' || c == '\n';
            if (sep) {
                if (start >= 0) {
                    out.add(text.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
        }
        return out;
    }

    /** The command letter, upper case. */
    char op() {
        return Character.toUpperCase(args.getFirst().charAt(0));
    }

    /** Modifier letters after the command letter (after "VF" for the feature query). */
    String modifiers() {
        return args.getFirst().substring(1);
    }

    int argc() {
        return args.size();
    }

    String arg(int index) {
        return args.get(index);
    }

    String argOrNull(int index) {
        return index < args.size() ? args.get(index) : null;
    }
}
