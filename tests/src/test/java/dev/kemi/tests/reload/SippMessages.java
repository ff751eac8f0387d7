package dev.kemi.tests.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The messages of a SIPp -trace_msg file with SIPp's timestamps. SIPp stamps a message with the
 * clock of its current main-loop round, taken before it sends or reads: a sent message's stamp
 * is at or before the real send.
 */
record SippMessages(List<Message> messages) {
    private static final Pattern BLOCK = Pattern.compile(
            "^-{47} (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6})\\n[^\\n]*message (sent|received)[^\\n]*\\n\\n", Pattern.MULTILINE);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    record Message(Instant time, boolean sent, String text) {
        boolean isRequest(String method) {
            return text.startsWith(method + " ");
        }

        /** The first value of a header (long form), or null; only the header section is searched. */
        String header(String name) {
            int end = text.indexOf("\n\n");
            for (String line : (end < 0 ? text : text.substring(0, end)).split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) return line.substring(colon + 1).strip();
            }
            return null;
        }
    }

    static SippMessages read(Path file) throws IOException {
        String text = Files.readString(file).replace("\r", "");
        List<Message> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        int prevBody = -1;
        Instant prevTime = null;
        boolean prevSent = false;
        while (m.find()) {
            if (prevBody >= 0) out.add(new Message(prevTime, prevSent, text.substring(prevBody, m.start()).strip()));
            // SIPp writes local time
            prevTime = LocalDateTime.parse(m.group(1), STAMP).atZone(ZoneId.systemDefault()).toInstant();
            prevSent = m.group(2).equals("sent");
            prevBody = m.end();
        }
        if (prevBody >= 0) out.add(new Message(prevTime, prevSent, text.substring(prevBody).strip()));
        return new SippMessages(out);
    }
}
