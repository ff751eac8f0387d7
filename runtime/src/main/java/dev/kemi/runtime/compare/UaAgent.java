package dev.kemi.runtime.compare;

import dev.kemi.runtime.transport.Protocol;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One scenario user agent: its identifiers (tag, CSeq, branches), what it received, the dialog
 * state it learnt (route set, remote target, peer tag) and the transaction-level behaviour it
 * does on its own: ACK for non-2xx finals, and the auto-answers of {@link AnswerRules}.
 */
final class UaAgent {
    /** How the agent sends: the runner records and hands the text to the driver. */
    interface Outbox {
        void send(UaAgent from, String text);

        void later(long delayMs, Runnable task);
    }

    final UaSpec spec;
    final InetSocketAddress addr;
    final String tag;
    private final String runTag;
    private final Outbox out;
    final Deque<SipText> inbox = new ArrayDeque<>();
    /** The last message an expect step accepted: source of ${last.Header}. */
    SipText last;
    /** Values captured by SIPp-style ereg steps: ${var.NAME}. */
    final Map<String, String> vars = new HashMap<>();
    private int cseq;
    private int branches;
    private String lastBranch;
    private List<String> routeSet = List.of();
    private String remoteTarget;
    private String peerTag;
    private final Map<String, SipText> sentInvites = new HashMap<>();
    private final Map<String, ServerInvite> serverInvites = new HashMap<>();

    /** State of an INVITE this UA answers. */
    private static final class ServerInvite {
        final SipText request;
        String lastResponse;
        boolean finalSent;

        ServerInvite(SipText request) {
            this.request = request;
        }
    }

    /** @param runTag suffix for tags and branches, unique per run over real sockets ("" otherwise) */
    UaAgent(UaSpec spec, InetSocketAddress addr, String runTag, Outbox out) {
        this.spec = spec;
        this.addr = addr;
        this.runTag = runTag;
        this.tag = spec.name() + "-tag-1" + runTag;
        this.out = out;
    }

    String name() {
        return spec.name();
    }

    String hostPort() {
        return addr.getAddress().getHostAddress() + ":" + addr.getPort();
    }

    // --- variables used by templates -------------------------------------------------------

    /**
     * Called once per rendered request, before substitution: a request that starts a new
     * transaction (its template uses ${branch}) takes the next CSeq, except ACK and CANCEL; a
     * retransmission (reusing ${last_branch}) keeps it.
     */
    void beginRequest(String method, boolean newTransaction) {
        if (newTransaction && !method.equals("ACK") && !method.equals("CANCEL")) cseq++;
    }

    int cseq() {
        return Math.max(cseq, 1);
    }

    String newBranch() {
        lastBranch = "z9hG4bK-" + spec.name() + "-" + (++branches) + runTag;
        return lastBranch;
    }

    String lastBranch() {
        if (lastBranch == null) throw new IllegalArgumentException("${last_branch}: " + name() + " has sent no branch yet");
        return lastBranch;
    }

    String routes() {
        return routeSet.isEmpty() ? "" : "Route: " + String.join(", ", routeSet);
    }

    String nextUrl() {
        if (remoteTarget == null) throw new IllegalArgumentException("${next_url}: " + name() + " has no remote target (no Contact received)");
        return remoteTarget;
    }

    String peerTagParam() {
        return peerTag == null ? "" : ";tag=" + peerTag;
    }

    String lastHeader(String name) {
        if (last == null) throw new IllegalArgumentException("${last." + name + "}: " + name() + " has accepted no message yet");
        return String.join("\r\n", last.headerLines(name));
    }

    /** The CSeq number of the last accepted message: SIPp's [last_cseq_number]. */
    String lastCSeqNumber() {
        if (last == null || last.header("CSeq") == null) throw new IllegalArgumentException("${last_cseq_number}: " + name() + " has accepted no message with a CSeq");
        return last.header("CSeq").trim().split("\\s+")[0];
    }

    // --- behaviour -----------------------------------------------------------------------------

    /** The runner sent this UA's message. */
    void sent(SipText m) {
        if (!m.isResponse() && m.method().equals("INVITE")) {
            String b = topBranch(m);
            if (b != null) sentInvites.put(b, m);
        }
    }

    void receive(SipText m) {
        inbox.add(m);
        if (m.isResponse()) onResponse(m);
        else onRequest(m);
    }

    private void onResponse(SipText r) {
        if (!r.method().equals("INVITE")) return;
        int code = r.status();
        if (code > 100 && code < 300 && SipText.param(r.header("To"), "tag") != null) {
            List<String> rr = new ArrayList<>(r.values("Record-Route"));
            Collections.reverse(rr);
            learnDialog(rr, r.header("Contact"), SipText.param(r.header("To"), "tag"));
        }
        if (code >= 300 && !spec.scripted()) {
            SipText invite = sentInvites.get(topBranch(r));
            if (invite != null) out.send(this, ackFor(invite, r));
        }
    }

    private void onRequest(SipText q) {
        String method = q.method();
        if (method.equals("INVITE") && SipText.param(q.header("To"), "tag") == null) {
            learnDialog(q.values("Record-Route"), q.header("Contact"), SipText.param(q.header("From"), "tag"));
        }
        AnswerRules rules = spec.answer();
        if (rules == null || method.equals("ACK")) return;
        String branch = topBranch(q);
        switch (method) {
            case "INVITE" -> answerInvite(q, branch, rules);
            case "CANCEL" -> {
                out.send(this, response(q, 200, null));
                ServerInvite inv = serverInvites.get(branch);
                if (inv != null && !inv.finalSent) {
                    if (rules.delayMs() > 0) out.later(rules.delayMs(), () -> {
                        if (!inv.finalSent) reply(inv, 487, rules);
                    });
                    else reply(inv, 487, rules);
                }
            }
            default -> out.send(this, response(q, rules.other(), null));
        }
    }

    private void answerInvite(SipText q, String branch, AnswerRules rules) {
        ServerInvite known = serverInvites.get(branch);
        if (known != null) {
            // a retransmission: repeat the last response, as a UAS transaction does
            if (known.lastResponse != null) out.send(this, known.lastResponse);
            return;
        }
        ServerInvite inv = new ServerInvite(q);
        serverInvites.put(branch, inv);
        List<Integer> codes = rules.invite();
        for (int i = 0; i < codes.size(); i++) {
            int code = codes.get(i);
            if (i == 0) reply(inv, code, rules);
            else out.later(rules.delayMs() * i, () -> {
                if (!inv.finalSent) reply(inv, code, rules);
            });
        }
    }

    private void reply(ServerInvite inv, int code, AnswerRules rules) {
        String body = code >= 200 && code < 300 && rules.sdp() && !inv.request.body().isBlank() ? sdpAnswer() : null;
        inv.lastResponse = response(inv.request, code, body);
        if (code >= 200) inv.finalSent = true;
        out.send(this, inv.lastResponse);
    }

    private void learnDialog(List<String> routes, String contact, String peer) {
        routeSet = List.copyOf(routes);
        if (contact != null && !contact.isBlank()) remoteTarget = SipText.uriOf(SipText.splitValues(contact).get(0));
        if (peer != null) peerTag = peer;
    }

    /** A response to {@code q} as a UAS core builds it (RFC 3261 8.2.6). */
    String response(SipText q, int code, String body) {
        StringBuilder b = new StringBuilder("SIP/2.0 ").append(code).append(' ').append(reason(code)).append("\r\n");
        for (String v : q.headerLines("Via")) b.append(v).append("\r\n");
        if (q.method().equals("INVITE") && code > 100 && code < 300) {
            for (String rr : q.headerLines("Record-Route")) b.append(rr).append("\r\n");
        }
        b.append("From: ").append(q.header("From")).append("\r\n");
        String to = q.header("To");
        if (code > 100 && SipText.param(to, "tag") == null) to = to + ";tag=" + tag;
        b.append("To: ").append(to).append("\r\n");
        b.append("Call-ID: ").append(q.header("Call-ID")).append("\r\n");
        b.append("CSeq: ").append(q.header("CSeq")).append("\r\n");
        if (q.method().equals("INVITE") && code > 100 && code < 300) b.append("Contact: <").append(contactUri()).append(">\r\n");
        if (body != null) b.append("Content-Type: application/sdp\r\n");
        byte[] bodyBytes = body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        b.append("Content-Length: ").append(bodyBytes.length).append("\r\n\r\n");
        if (body != null) b.append(body);
        return b.toString();
    }

    /** ACK for a non-2xx final response: part of the INVITE client transaction (RFC 3261 17.1.1.3). */
    private String ackFor(SipText invite, SipText resp) {
        StringBuilder b = new StringBuilder("ACK ").append(invite.requestUri()).append(" SIP/2.0\r\n");
        b.append("Via: ").append(invite.values("Via").get(0)).append("\r\n");
        for (String r : invite.headerLines("Route")) b.append(r).append("\r\n");
        b.append("Max-Forwards: 70\r\n");
        b.append("From: ").append(invite.header("From")).append("\r\n");
        b.append("To: ").append(resp.header("To")).append("\r\n");
        b.append("Call-ID: ").append(invite.header("Call-ID")).append("\r\n");
        String num = invite.header("CSeq").trim().split("\\s+")[0];
        b.append("CSeq: ").append(num).append(" ACK\r\n");
        b.append("Content-Length: 0\r\n\r\n");
        return b.toString();
    }

    String contactUri() {
        return "sip:" + spec.name() + "@" + hostPort() + (spec.transport() == Protocol.TCP ? ";transport=tcp" : "");
    }

    private String sdpAnswer() {
        String ip = addr.getAddress().getHostAddress();
        return "v=0\r\no=" + spec.name() + " 2 2 IN IP4 " + ip + "\r\ns=-\r\nc=IN IP4 " + ip + "\r\nt=0 0\r\n"
                + "m=audio " + (30000 + addr.getPort() % 1000 * 2) + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    }

    static String topBranch(SipText m) {
        List<String> vias = m.values("Via");
        return vias.isEmpty() ? null : SipText.param(vias.get(0), "branch");
    }

    static String reason(int code) {
        return switch (code) {
            case 100 -> "Trying";
            case 180 -> "Ringing";
            case 181 -> "Call Is Being Forwarded";
            case 182 -> "Queued";
            case 183 -> "Session Progress";
            case 200 -> "OK";
            case 202 -> "Accepted";
            case 301 -> "Moved Permanently";
            case 302 -> "Moved Temporarily";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 480 -> "Temporarily Unavailable";
            case 481 -> "Call/Transaction Does Not Exist";
            case 483 -> "Too Many Hops";
            case 486 -> "Busy Here";
            case 487 -> "Request Terminated";
            case 488 -> "Not Acceptable Here";
            case 500 -> "Server Internal Error";
            case 503 -> "Service Unavailable";
            case 600 -> "Busy Everywhere";
            case 603 -> "Decline";
            default -> "Response";
        };
    }
}
