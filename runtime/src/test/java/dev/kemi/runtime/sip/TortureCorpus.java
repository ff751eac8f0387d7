package dev.kemi.runtime.sip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The RFC 4475 messages under src/test/resources/torture, written in the RFC's own notation
 * (§2): every line ends in CRLF; {@code <allOneLine>} blocks join their lines into one;
 * {@code <hex>..</hex>} are raw octets; {@code <repeat count=N>..</repeat>} repeats text.
 */
final class TortureCorpus {
    private TortureCorpus() {}

    static final List<String> VALID = List.of("wsinv", "intmeth", "esc01", "escnull", "esc02", "lwsdisp",
            "longreq", "dblreq", "semiuri", "transports", "mpart01", "unreason", "noreason", "badbranch");
    static final List<String> INVALID = List.of("badinv01", "clerr", "ncl", "scalar02", "scalarlg", "quotbal",
            "ltgtruri", "lwsruri", "lwsstart", "trws", "escruri", "baddate", "regbadct", "badaspec", "baddn",
            "badvers", "mismatch01", "mismatch02", "bigcode");
    static final List<String> SEMANTIC = List.of("insuf", "unkscm", "novelsc", "unksm2", "bext01", "invut",
            "regaut01", "multi01", "mcl01", "bcast", "zeromf", "cparam01", "cparam02", "regescrt", "sdp01");

    /** Decoded bytes of torture/{dir}/{name}.sip. */
    static byte[] load(String dir, String name) {
        String path = "/torture/" + dir + "/" + name + ".sip";
        try (InputStream in = TortureCorpus.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalArgumentException("no " + path);
            return decode(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every message of the corpus (valid, invalid, semantic). */
    static List<byte[]> all() {
        List<byte[]> out = new ArrayList<>();
        VALID.forEach(n -> out.add(load("valid", n)));
        INVALID.forEach(n -> out.add(load("invalid", n)));
        SEMANTIC.forEach(n -> out.add(load("semantic", n)));
        return out;
    }

    private static final Pattern REPEAT = Pattern.compile("<repeat count=(\\d+)>(.*?)</repeat>");
    private static final Pattern HEX = Pattern.compile("<hex>(.*?)</hex>");

    static byte[] decode(String text) {
        String[] lines = text.split("\n", -1);
        int n = lines.length;
        if (n > 0 && lines[n - 1].isEmpty()) n--;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            String line = lines[i];
            if (line.equals("<allOneLine>")) {
                StringBuilder joined = new StringBuilder();
                while (!lines[++i].equals("</allOneLine>")) joined.append(lines[i]);
                line = joined.toString();
            }
            writeLine(out, line);
        }
        return out.toByteArray();
    }

    private static void writeLine(ByteArrayOutputStream out, String line) {
        Matcher r = REPEAT.matcher(line);
        StringBuilder expanded = new StringBuilder();
        while (r.find()) r.appendReplacement(expanded, Matcher.quoteReplacement(r.group(2).repeat(Integer.parseInt(r.group(1)))));
        r.appendTail(expanded);
        Matcher h = HEX.matcher(expanded);
        int last = 0;
        while (h.find()) {
            out.writeBytes(expanded.substring(last, h.start()).getBytes(StandardCharsets.UTF_8));
            out.writeBytes(HexFormat.of().parseHex(h.group(1)));
            last = h.end();
        }
        out.writeBytes(expanded.substring(last).getBytes(StandardCharsets.UTF_8));
        out.writeBytes(new byte[] {'\r', '\n'});
    }
}
