package dev.kemi.runtime.compare;

import java.util.ArrayList;
import java.util.List;

/** Line diff (longest common subsequence; SIP messages are small). */
public final class LineDiff {
    public enum Op { SAME, DEL, ADD }

    public record Line(Op op, String text) {
        /** " text", "-text", "+text" as in a unified diff. */
        public String unified() {
            return (op == Op.SAME ? " " : op == Op.DEL ? "-" : "+") + text;
        }
    }

    private LineDiff() {}

    public static List<Line> diff(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Line> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n && j < m) {
            if (a.get(i).equals(b.get(j))) {
                out.add(new Line(Op.SAME, a.get(i++)));
                j++;
            } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
                out.add(new Line(Op.DEL, a.get(i++)));
            } else {
                out.add(new Line(Op.ADD, b.get(j++)));
            }
        }
        while (i < n) out.add(new Line(Op.DEL, a.get(i++)));
        while (j < m) out.add(new Line(Op.ADD, b.get(j++)));
        return out;
    }

    /** The changed lines with {@code context} unchanged lines around them ("..." for gaps). */
    public static List<String> unified(List<Line> diff, int context) {
        List<String> out = new ArrayList<>();
        int last = -1;
        for (int k = 0; k < diff.size(); k++) {
            if (!near(diff, k, context)) continue;
            if (last >= 0 && k > last + 1 || last < 0 && k > 0) out.add("...");
            out.add(diff.get(k).unified());
            last = k;
        }
        if (last >= 0 && last < diff.size() - 1) out.add("...");
        return out;
    }

    private static boolean near(List<Line> diff, int k, int context) {
        for (int d = Math.max(0, k - context); d <= Math.min(diff.size() - 1, k + context); d++) {
            if (diff.get(d).op() != Op.SAME) return true;
        }
        return false;
    }
}
