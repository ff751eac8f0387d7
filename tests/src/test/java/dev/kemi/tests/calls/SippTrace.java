package dev.kemi.tests.calls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** The messages of a SIPp -trace_msg file, and their wire signature for comparisons. */
public record SippTrace(List<Message> messages) {
    private static final String SEPARATOR = "-----------------------------------------------";

    public record Message(boolean received, String text) {
        public String firstLine() {
            int eol = text.indexOf('\n');
            return (eol < 0 ? text : text.substring(0, eol)).strip();
        }

        public boolean isReply() {
            return firstLine().startsWith("SIP/2.0 ");
        }

        /** Status code of a reply, else 0. */
        int status() {
            return isReply() ? Integer.parseInt(firstLine().substring(8, 11)) : 0;
        }

        String method() {
            return isReply() ? "" : firstLine().substring(0, firstLine().indexOf(' '));
        }

        /** How many header lines of that name (long form; no compact forms are used here). */
        int count(String header) {
            String prefix = header.toLowerCase(Locale.ROOT) + ":";
            int n = 0;
            for (String line : text.split("\n")) {
                String l = line.strip();
                if (l.isEmpty()) break;
                if (l.toLowerCase(Locale.ROOT).startsWith(prefix)) n++;
            }
            return n;
        }

        /** First line without ports, tags and branches, plus the count of routing headers. */
        String signature() {
            String first = isReply() ? firstLine() : method();
            return (received ? "recv " : "sent ") + first + " via=" + count("Via") + " rr=" + count("Record-Route")
                    + " route=" + count("Route");
        }
    }

    public static SippTrace read(Path file) throws IOException {
        List<Message> out = new ArrayList<>();
        if (!Files.exists(file)) return new SippTrace(out);
        String[] blocks = Files.readString(file).replace("\r", "").split(SEPARATOR + "[^\n]*\n");
        for (String block : blocks) {
            int head = block.indexOf('\n');
            if (head < 0) continue;
            String title = block.substring(0, head);
            boolean received = title.contains("received");
            if (!received && !title.contains("sent")) continue;
            String text = block.substring(head + 1).strip();
            if (!text.isEmpty()) out.add(new Message(received, text));
        }
        return new SippTrace(out);
    }

    public List<Message> received() {
        return messages.stream().filter(Message::received).toList();
    }

    /** Status codes received, in order (retransmissions included). */
    List<Integer> receivedStatuses() {
        return received().stream().filter(Message::isReply).map(Message::status).toList();
    }

    List<String> receivedMethods() {
        return received().stream().filter(m -> !m.isReply()).map(Message::method).toList();
    }

    /** The distinct signatures of what was received: independent of call count and retransmissions. */
    TreeSet<String> receivedSignature() {
        TreeSet<String> s = new TreeSet<>();
        for (Message m : received()) s.add(m.signature());
        return s;
    }
}
