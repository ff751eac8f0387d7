package dev.kemi.runtime.compare;

import java.util.List;

/**
 * The first message where two runs of a scenario differ in what the proxy sent.
 *
 * @param index  position in the sequence of proxy-sent messages (0-based)
 * @param eventA index of that message in run A's trace, or -1 if A sent nothing further
 * @param eventB same for run B
 * @param diff   normalised message lines (first line: destination and socket) A versus B
 */
public record Divergence(int index, int eventA, int eventB, List<LineDiff.Line> diff) {
    /** Lines only in A or only in B. */
    public List<LineDiff.Line> changed() {
        return diff.stream().filter(l -> l.op() != LineDiff.Op.SAME).toList();
    }
}
