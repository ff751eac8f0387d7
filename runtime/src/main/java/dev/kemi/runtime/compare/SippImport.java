package dev.kemi.runtime.compare;

import dev.kemi.runtime.transport.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Translates SIPp XML scenarios into the scenario model: a UAC file (its steps become the
 * scenario's), optionally with the UAS file it calls (played by a second UA on its own, as SIPp
 * would). SIPp's keywords become template variables; what has no equivalent here is an error with
 * file:line. {@code retrans} is accepted and not replayed: nothing is lost unless a scenario says so.
 */
public final class SippImport {
    static final String UAC = "uac";
    static final String UAS = "uas";
    private static final String UAC_ADDR = "127.0.0.1:5071";
    private static final String UAS_ADDR = "127.0.0.1:5072";
    /** SIPp waits for a message without limit; here long enough for any fr_inv_timer (virtual time costs nothing). */
    private static final long RECV_TIMEOUT_MS = 180_000;
    /** SIPp's default media port (-mp). */
    private static final String MEDIA_PORT = "6000";

    private static final Set<String> STATS = Set.of("crlf", "rtd", "start_rtd", "repeat_rtd");
    private static final Set<String> SEND_ATTRS = union(STATS, Set.of("retrans", "start_txn"));
    private static final Set<String> RECV_ATTRS = union(STATS, Set.of("response", "request", "optional", "rrs", "timeout", "response_txn"));
    private static final Set<String> EREG_ATTRS = Set.of("regexp", "search_in", "header", "check_it", "assign_to", "case_indep");
    /** Elements that only configure SIPp's statistics. */
    private static final Set<String> IGNORED = Set.of("ResponseTimeRepartition", "CallLengthRepartition");
    private static final Pattern KEYWORD = Pattern.compile("\\[([^\\]\\s]+)]");

    private final String file;
    private final String self;
    /** ${...} of SIPp's [remote_ip] and [remote_port]: the UAS when the UAC calls one, else the proxy. */
    private final String remoteHost;
    private final String remotePort;
    private final List<Step> steps = new ArrayList<>();

    private SippImport(String file, String self, String remote) {
        this.file = file;
        this.self = self;
        this.remoteHost = remote == null ? "${proxy.host}" : "${ua." + remote + ".host}";
        this.remotePort = remote == null ? "${proxy.port}" : "${ua." + remote + ".port}";
    }

    /** A UAC scenario file, with the UAS file its calls reach (or null: requests go to the proxy itself). */
    public static Scenario load(Path uac, Path uas) throws ScenarioException {
        SippImport caller = new SippImport(uac.toString(), UAC, uas == null ? null : UAS);
        String description = caller.parse(uac);
        List<UaSpec> uas2 = new ArrayList<>();
        uas2.add(ua(UAC, UAC_ADDR, List.of()));
        String name = base(uac);
        if (uas != null) {
            SippImport callee = new SippImport(uas.toString(), UAS, null);
            String d = callee.parse(uas);
            uas2.add(ua(UAS, UAS_ADDR, List.copyOf(callee.steps)));
            name += "+" + base(uas);
            description += " / " + d;
        }
        if (caller.steps.isEmpty()) throw new ScenarioException(uac + ": no SIPp commands");
        return new Scenario(name, "SIPp: " + description, uac.toString(), List.copyOf(uas2), List.copyOf(caller.steps), 2000);
    }

    private static UaSpec ua(String name, String addr, List<Step> script) {
        int colon = addr.lastIndexOf(':');
        return new UaSpec(name, addr.substring(0, colon), Integer.parseInt(addr.substring(colon + 1)), Protocol.UDP, null, script);
    }

    private static String base(Path p) {
        return p.getFileName().toString().replaceFirst("\\.xml$", "");
    }

    /** Reads the file's commands into {@link #steps}; returns the scenario's name attribute. */
    private String parse(Path path) throws ScenarioException {
        XMLInputFactory f = XMLInputFactory.newFactory();
        // SIPp files name "sipp.dtd": never fetch it
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        try (InputStream in = Files.newInputStream(path)) {
            XMLStreamReader x = f.createXMLStreamReader(in);
            while (x.hasNext() && x.next() != XMLStreamConstants.START_ELEMENT) {
                // prolog, comments
            }
            if (!x.isStartElement() || !x.getLocalName().equals("scenario")) {
                throw error(x, "expected a SIPp <scenario>");
            }
            String name = x.getAttributeValue(null, "name");
            while (x.hasNext()) {
                int ev = x.next();
                if (ev == XMLStreamConstants.END_ELEMENT) break;
                if (ev == XMLStreamConstants.START_ELEMENT) command(x);
            }
            return name == null ? base(path) : name;
        } catch (XMLStreamException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNumber();
            throw new ScenarioException(file + ":" + line + ": invalid XML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ScenarioException(file + ": " + e.getMessage(), e);
        }
    }

    private void command(XMLStreamReader x) throws XMLStreamException, ScenarioException {
        String el = x.getLocalName();
        int line = x.getLocation().getLineNumber();
        switch (el) {
            case "send" -> {
                attributes(x, SEND_ATTRS);
                StringBuilder text = new StringBuilder();
                while (x.next() != XMLStreamConstants.END_ELEMENT) {
                    if (x.isStartElement()) throw error(x, "unsupported SIPp element <" + x.getLocalName() + "> in <send>");
                    if (x.hasText()) text.append(x.getText());
                }
                steps.add(new Step.Send(steps.size() + 1, self, template(text.toString(), line)));
            }
            case "recv" -> recv(x, line);
            case "pause", "timewait" -> {
                attributes(x, Set.of("milliseconds", "crlf"));
                // SIPp's -d, the length of a pause without milliseconds, defaults to 0
                long ms = number(x, "milliseconds", 0);
                skipToEnd(x);
                steps.add(new Step.Wait(steps.size() + 1, ms));
            }
            default -> {
                if (!IGNORED.contains(el)) throw error(x, "unsupported SIPp element <" + el + ">");
                skipToEnd(x);
            }
        }
    }

    private void recv(XMLStreamReader x, int line) throws XMLStreamException, ScenarioException {
        attributes(x, RECV_ATTRS);
        String response = x.getAttributeValue(null, "response");
        String request = x.getAttributeValue(null, "request");
        String match;
        if (response != null && request == null) {
            if (!response.matches("[1-6][0-9][0-9]")) throw error(line, "recv response must be a status code, got '" + response + "'");
            match = response;
        } else if (request != null && response == null) {
            if (!request.matches("[A-Za-z]+")) throw error(line, "recv request must be a method, got '" + request + "'");
            match = request.toUpperCase();
        } else {
            throw error(line, "recv needs one of response= or request=");
        }
        String optional = x.getAttributeValue(null, "optional");
        // "global" (the message may come at any later point) is taken as optional here
        boolean opt = "true".equals(optional) || "global".equals(optional);
        if (optional != null && !opt && !"false".equals(optional)) throw error(line, "optional must be true, global or false");
        steps.add(new Step.Expect(steps.size() + 1, self, match, number(x, "timeout", RECV_TIMEOUT_MS), opt));
        while (x.next() != XMLStreamConstants.END_ELEMENT) {
            if (!x.isStartElement()) continue;
            if (!x.getLocalName().equals("action")) throw error(x, "unsupported SIPp element <" + x.getLocalName() + "> in <recv>");
            while (x.next() != XMLStreamConstants.END_ELEMENT) {
                if (!x.isStartElement()) continue;
                if (!x.getLocalName().equals("ereg")) throw error(x, "unsupported SIPp action <" + x.getLocalName() + ">");
                steps.add(ereg(x));
                skipToEnd(x);
            }
        }
    }

    private Step.Capture ereg(XMLStreamReader x) throws ScenarioException {
        attributes(x, EREG_ATTRS);
        String regexp = x.getAttributeValue(null, "regexp");
        String in = x.getAttributeValue(null, "search_in");
        String assign = x.getAttributeValue(null, "assign_to");
        if (regexp == null || assign == null) throw error(x, "ereg needs regexp= and assign_to=");
        if (in == null) in = "msg";
        if (!Set.of("msg", "hdr", "body").contains(in)) throw error(x, "ereg search_in must be msg, hdr or body");
        String header = x.getAttributeValue(null, "header");
        if (in.equals("hdr") && header == null) throw error(x, "ereg search_in=\"hdr\" needs header=");
        Pattern p;
        try {
            p = Pattern.compile(regexp, "true".equals(x.getAttributeValue(null, "case_indep")) ? Pattern.CASE_INSENSITIVE : 0);
        } catch (PatternSyntaxException e) {
            throw error(x, "bad regexp: " + e.getDescription());
        }
        List<String> vars = List.of(assign.split("\\s*,\\s*"));
        return new Step.Capture(steps.size() + 1, self, p, in, header == null ? null : header.replaceFirst(":\\s*$", ""),
                vars, "true".equals(x.getAttributeValue(null, "check_it")));
    }

    /** The message of a send: each line unindented (as SIPp does), SIPp keywords turned into variables. */
    private String template(String cdata, int line) throws ScenarioException {
        StringBuilder out = new StringBuilder();
        String[] lines = cdata.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            Matcher m = KEYWORD.matcher(l);
            StringBuilder sb = new StringBuilder();
            while (m.find()) m.appendReplacement(sb, Matcher.quoteReplacement(keyword(m.group(1), line + i)));
            m.appendTail(sb);
            out.append(sb).append('\n');
        }
        if (out.toString().isBlank()) throw error(line, "empty <send>");
        return out.toString().strip() + "\n";
    }

    private String keyword(String k, int line) throws ScenarioException {
        String plain = switch (k) {
            case "service" -> "service"; // SIPp's default -s
            case "remote_ip" -> remoteHost;
            case "remote_port" -> remotePort;
            case "local_ip", "media_ip" -> "${ua." + self + ".host}";
            case "local_port" -> "${ua." + self + ".port}";
            case "local_ip_type", "media_ip_type" -> "4";
            case "media_port" -> MEDIA_PORT;
            case "transport" -> "${transport}";
            case "branch" -> "${branch}";
            case "call_id" -> "${callid}";
            case "cseq" -> "${cseq}";
            case "len" -> "${len}";
            case "next_url" -> "${next_url}";
            case "routes" -> "${routes}";
            case "peer_tag_param" -> "${peer_tag_param}";
            case "pid" -> "${pid}";
            case "call_number" -> "${call_number}";
            case "last_cseq_number" -> "${last_cseq_number}";
            default -> null;
        };
        if (plain != null) return plain;
        if (k.startsWith("last_") && k.length() > 5) return "${last." + k.substring(5).replaceFirst(":$", "") + "}";
        if (k.startsWith("$") && k.length() > 1) return "${var." + k.substring(1) + "}";
        throw error(line, "unsupported SIPp keyword [" + k + "]");
    }

    private void attributes(XMLStreamReader x, Set<String> allowed) throws ScenarioException {
        for (int i = 0; i < x.getAttributeCount(); i++) {
            String a = x.getAttributeLocalName(i);
            if (!allowed.contains(a)) {
                throw error(x, "unsupported attribute " + a + "= on <" + x.getLocalName() + "> (supported: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private long number(XMLStreamReader x, String attr, long dflt) throws ScenarioException {
        String v = x.getAttributeValue(null, attr);
        if (v == null) return dflt;
        try {
            long n = Long.parseLong(v.trim());
            if (n >= 0) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(x, attr + " must be a number of milliseconds, got '" + v + "'");
    }

    private static void skipToEnd(XMLStreamReader x) throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int ev = x.next();
            if (ev == XMLStreamConstants.START_ELEMENT) depth++;
            else if (ev == XMLStreamConstants.END_ELEMENT) depth--;
        }
    }

    private ScenarioException error(XMLStreamReader x, String what) {
        return error(x.getLocation().getLineNumber(), what);
    }

    private ScenarioException error(int line, String what) {
        return new ScenarioException(file + ":" + line + ": " + what);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> s = new java.util.HashSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }

    /** For the CLI: "UAC.xml" or "UAC.xml,UAS.xml". */
    public static Scenario load(String spec) throws ScenarioException {
        int comma = spec.indexOf(',');
        return comma < 0 ? load(Path.of(spec), null) : load(Path.of(spec.substring(0, comma)), Path.of(spec.substring(comma + 1)));
    }
}
