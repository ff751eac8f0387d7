package dev.kemi.api;

import java.util.List;

/**
 * A parsed pseudo-variable reference: {@code $name}, {@code $name(param)},
 * {@code $(name(param)[index]{tr1}{tr2})}. Shared by the native parser and {@code KSR.pv.*}.
 *
 * @param name   class name, e.g. {@code ru}, {@code var}, {@code hdr}, {@code T_branch_idx}
 * @param param  inner name, e.g. {@code x} in {@code $var(x)}; null if none
 * @param index  null = none; {@link #ALL} for {@code [*]}; negative counts from the end
 * @param transforms transformation texts without braces, e.g. {@code uri.user}
 * @param indexPv the index when it is a pseudo-variable ({@code $(avp(x)[$var(i)])}), read per
 *               message as Kamailio's PV_IDX_PVAR; {@code index} is then null
 */
public record PvSpec(String name, String param, Integer index, List<String> transforms, PvSpec indexPv) {
    public static final int ALL = Integer.MIN_VALUE;

    public PvSpec(String name, String param, Integer index, List<String> transforms) {
        this(name, param, index, transforms, null);
    }

    /**
     * Parses a whole spec such as {@code "$ru"}, {@code "$var(x)"}, {@code "$(hdr(Via)[1])"}.
     *
     * @throws IllegalArgumentException if the text is not exactly one pseudo-variable
     */
    public static PvSpec parse(String text) {
        PvSpecParser p = new PvSpecParser(text, 0);
        PvSpec spec = p.parse();
        if (p.position() != text.length()) {
            throw new IllegalArgumentException("unexpected text after pseudo-variable: " + text);
        }
        return spec;
    }

    /** Text form, as written in a script. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        boolean longForm = index != null || indexPv != null || !transforms.isEmpty();
        b.append(longForm ? "$(" : "$").append(name);
        if (param != null) b.append('(').append(param).append(')');
        if (index != null) b.append('[').append(index == ALL ? "*" : index.toString()).append(']');
        if (indexPv != null) b.append('[').append(indexPv).append(']');
        for (String t : transforms) b.append('{').append(t).append('}');
        if (longForm) b.append(')');
        return b.toString();
    }
}
