package dev.kemi.tests.differential;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One area's table: a cfg and the messages sent to it, from a text file.
 * <pre>
 * == cfg
 * listen=udp:127.0.0.1:{port}
 * request_route { ... }
 * == msg name-of-case
 * == differs: why ours legitimately differs (optional: the case still runs and is reported)
 * == tcp            (optional: sent over a TCP connection instead of UDP)
 * == answer 200     (optional: the next hop answers forwarded requests with that status)
 * OPTIONS sip:{proxy} SIP/2.0
 * Via: SIP/2.0/UDP {client};branch=z9hG4bK-c{n}
 * ...
 * </pre>
 * Header "Content-Length: {len}" is filled in with the body length; lines end in CRLF on the wire.
 * After the cfg: "== next 127.0.0.2" puts the next hop on that address, "== send-to 127.0.0.2"
 * sends the messages to the proxy's socket on that address, and "== differs: why" says our proxy
 * is expected not to load this cfg (or, if it does, to differ on every message).
 */
record CaseFile(String area, String cfg, String nextHost, String sendTo, String startDiffers, List<Message> messages) {

    record Message(String name, String text, boolean tcp, int answer, String differs) {}

    static CaseFile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String area = file.getFileName().toString().replaceFirst("\\.txt$", "");
        StringBuilder cfg = new StringBuilder();
        String nextHost = "127.0.0.1";
        String sendTo = "127.0.0.1";
        String startDiffers = null;
        List<Message> messages = new ArrayList<>();
        String name = null;
        boolean tcp = false;
        int answer = 0;
        String differs = null;
        List<String> body = new ArrayList<>();
        boolean inCfg = false;
        for (String line : lines) {
            if (line.startsWith("== ")) {
                String d = line.substring(3).strip();
                if (d.equals("cfg")) {
                    inCfg = true;
                } else if (d.startsWith("next ")) {
                    nextHost = d.substring(5).strip();
                } else if (d.startsWith("send-to ")) {
                    sendTo = d.substring(8).strip();
                } else if (d.startsWith("differs:") && name == null) {
                    startDiffers = d.substring(8).strip();
                } else if (d.startsWith("msg ")) {
                    if (name != null) messages.add(new Message(name, wire(body), tcp, answer, differs));
                    inCfg = false;
                    name = d.substring(4).strip();
                    tcp = false;
                    answer = 0;
                    differs = startDiffers;
                    body.clear();
                } else if (d.equals("tcp")) {
                    tcp = true;
                } else if (d.startsWith("answer ")) {
                    answer = Integer.parseInt(d.substring(7).strip());
                } else if (d.startsWith("differs:")) {
                    differs = d.substring(8).strip();
                } else {
                    throw new IllegalArgumentException(file + ": unknown directive " + line);
                }
            } else if (inCfg) {
                cfg.append(line).append('\n');
            } else if (name != null) {
                body.add(line);
            }
        }
        if (name != null) messages.add(new Message(name, wire(body), tcp, answer, differs));
        return new CaseFile(area, cfg.toString(), nextHost, sendTo, startDiffers, messages);
    }

    /** Lines of a message as it goes on the wire: CRLF, header block ended, body without trailing blank lines. */
    private static String wire(List<String> lines) {
        List<String> l = new ArrayList<>(lines);
        while (!l.isEmpty() && l.getLast().isBlank()) l.removeLast();
        int blank = l.indexOf("");
        List<String> head = blank < 0 ? l : l.subList(0, blank);
        String body = blank < 0 ? "" : String.join("\r\n", l.subList(blank + 1, l.size())) + (blank + 1 < l.size() ? "\r\n" : "");
        String h = String.join("\r\n", head) + "\r\n\r\n";
        return h.replace("{len}", Integer.toString(body.length())) + body;
    }
}
