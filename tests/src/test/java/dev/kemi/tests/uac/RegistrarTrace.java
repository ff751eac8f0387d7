package dev.kemi.tests.uac;

import dev.kemi.tests.SipWire;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The REGISTERs a SIPp registrar received (its -trace_msg file), with their arrival times, without retransmissions. */
record RegistrarTrace(List<Received> registers) {
    private static final Pattern BLOCK = Pattern.compile("-{47} (\\S+ \\S+)\\n([^\\n]*)\\n\\n(.*?)(?=\\n-{47} |\\z)", Pattern.DOTALL);
    private static final Pattern CONTACT_USER = Pattern.compile("<sip:([^@>]+)@");

    record Received(LocalDateTime at, SipWire msg) {
        /** The uacreg record it is for: the Contact's user, which is the l_uuid. */
        String uuid() {
            Matcher m = CONTACT_USER.matcher(msg.header("Contact"));
            return m.find() ? m.group(1) : "?";
        }

        boolean authorized() {
            return msg.header("Authorization") != null;
        }
    }

    static RegistrarTrace read(Path file) throws IOException {
        List<Received> out = new ArrayList<>();
        if (!Files.exists(file)) return new RegistrarTrace(out);
        Matcher m = BLOCK.matcher(Files.readString(file).replace("\r", ""));
        java.util.Set<String> branches = new java.util.HashSet<>();
        while (m.find()) {
            if (!m.group(2).contains("received")) continue;
            String text = m.group(3).strip().replace("\n", "\r\n") + "\r\n\r\n";
            SipWire msg = SipWire.parse(text);
            // retransmissions count once: the first copy is when it came
            if (!msg.isResponse() && msg.method().equals("REGISTER") && branches.add(SipWire.param(msg.header("Via"), "branch"))) out.add(new Received(LocalDateTime.parse(m.group(1).replace(' ', 'T')), msg));
        }
        return new RegistrarTrace(out);
    }

    /** The first (unauthorized) REGISTERs of a record. */
    List<Received> initial(String uuid) {
        return registers.stream().filter(r -> r.uuid().equals(uuid) && !r.authorized()).toList();
    }

    /** An initial REGISTER: its record and when it came, in seconds after the first one the registrar got. */
    record Event(String uuid, double at) {}

    /** Every initial REGISTER received before {@code limit} seconds had passed. */
    List<Event> timeline(double limit) {
        if (registers.isEmpty()) return List.of();
        LocalDateTime t0 = registers.getFirst().at();
        List<Event> out = new ArrayList<>();
        for (Received r : registers) {
            double at = Duration.between(t0, r.at()).toMillis() / 1000.0;
            if (!r.authorized() && at < limit) out.add(new Event(r.uuid(), at));
        }
        return out;
    }
}
