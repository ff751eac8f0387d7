package dev.kemi.runtime.rpc;

import java.util.List;
import java.util.Map;

/**
 * JSON text as Kamailio's jsonrpcs prints it (its srjson printer, a cJSON fork): pretty form
 * with tabs ("key":TAB value, arrays on one line with ", "), or compact. Numbers print as C's
 * "%d" when integral and in int range, else "%.0f" / "%e" / "%f".
 */
public final class SrJson {
    private SrJson() {}

    /** One JSON object member, kept in order (a Map would merge repeated names, jsonrpcs does not). */
    public record Member(String name, Object value) {}

    /** An object of members, for the reply envelope. */
    public record Obj(List<Member> members) {}

    public static String print(Object value, boolean pretty) {
        StringBuilder sb = new StringBuilder();
        value(sb, value, 0, pretty);
        return sb.toString();
    }

    private static void value(StringBuilder sb, Object v, int depth, boolean fmt) {
        switch (v) {
            case null -> sb.append("null");
            case String s -> string(sb, s);
            case Boolean b -> sb.append(b);
            case Number n -> number(sb, n.doubleValue());
            case RpcUnsigned u -> number(sb, u.value());
            case Obj o -> object(sb, o.members(), depth, fmt);
            case Map<?, ?> m -> object(sb, m.entrySet().stream().map(e -> new Member(String.valueOf(e.getKey()), e.getValue())).toList(), depth, fmt);
            case RpcArray a -> array(sb, a.items(), depth, fmt);
            case List<?> l -> array(sb, l, depth, fmt);
            case RpcMember m -> object(sb, List.of(new Member(m.name(), m.value())), depth, fmt);
            default -> string(sb, v.toString());
        }
    }

    private static void array(StringBuilder sb, List<?> items, int depth, boolean fmt) {
        sb.append('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) sb.append(fmt ? ", " : ",");
            value(sb, items.get(i), depth + 1, fmt);
        }
        sb.append(']');
    }

    private static void object(StringBuilder sb, List<Member> members, int depth, boolean fmt) {
        depth++;
        sb.append('{');
        if (fmt) sb.append('\n');
        for (int i = 0; i < members.size(); i++) {
            if (fmt) sb.append("\t".repeat(depth));
            string(sb, members.get(i).name());
            sb.append(':');
            if (fmt) sb.append('\t');
            value(sb, members.get(i).value(), depth, fmt);
            if (i != members.size() - 1) sb.append(',');
            if (fmt) sb.append('\n');
        }
        if (fmt) sb.append("\t".repeat(depth - 1));
        sb.append('}');
    }

    private static void number(StringBuilder sb, double d) {
        if (d == Math.rint(d) && d <= Integer.MAX_VALUE && d >= Integer.MIN_VALUE) {
            sb.append((int) d);
        } else if (d == Math.floor(d)) {
            sb.append(String.format(java.util.Locale.ROOT, "%.0f", d));
        } else if (Math.abs(d) < 1.0e-6 || Math.abs(d) > 1.0e9) {
            sb.append(String.format(java.util.Locale.ROOT, "%e", d));
        } else {
            sb.append(String.format(java.util.Locale.ROOT, "%f", d));
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 32) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
