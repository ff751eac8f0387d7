package dev.kemi.runtime.modules.rtpproxy;

import dev.kemi.api.RouteType;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kamailio's rtpproxy functions over a {@link Signalling} view: offer/answer (U/L per m= line and
 * SDP rewrite), destroy (D), manage (which of them, by method and reply code), recording and
 * prompts. Return codes as Kamailio: 1 ok, -1 error/nothing to do, -2 already proxied, -3 no relay.
 */
final class MediaCommands {

    private static final Logger LOG = LoggerFactory.getLogger(MediaCommands.class);

    private final ControlClient client;
    private final NodeSelector selector;
    private final LateOfferTracker invites = new LateOfferTracker();
    /** Without trailing CR/LF; empty disables the marker. */
    volatile String marker = "a=nortpproxy:yes";
    volatile String timeoutSocket = "";

    MediaCommands(ControlClient client, NodeSelector selector) {
        this.client = client;
        this.selector = selector;
    }

    /** Kamailio's force_rtp_proxy. {@code ip} is $Ri or the forced address. */
    int offerAnswer(Signalling m, RtpproxySets.NodeSet set, String flagText, String ip, boolean offer, boolean forcedIp) {
        RtpproxyFlags flags = RtpproxyFlags.parse(flagText, offer, !m.isRequest());
        if (flags == null) {
            LOG.error("unknown option in '{}' (or l in an answer)", flagText);
            return -1;
        }
        String body = m.body();
        if (body == null || body.isEmpty()) {
            LOG.error("can't extract body from the message");
            return -1;
        }
        String callId = m.callId();
        String fromTag = m.fromTag();
        String toTag = m.toTag() == null ? "" : m.toTag();
        if (callId == null || callId.isEmpty()) {
            LOG.error("can't get Call-Id field");
            return -1;
        }
        if (fromTag == null || fromTag.isEmpty()) {
            LOG.error("can't get From tag");
            return -1;
        }
        String callIdSuffix = callIdSuffix(m, flags.via, flags.extraId);
        if (callIdSuffix == null) {
            return -1;
        }
        boolean create = offer;
        if (flags.lookup) {
            if (toTag.isEmpty()) {
                return -1;
            }
            if (m.isRequest()) {
                String t = fromTag;
                fromTag = toTag;
                toTag = t;
            }
            create = false;
        } else if (!m.isRequest() && offer || m.isRequest() && !offer) {
            if (toTag.isEmpty()) {
                return -1;
            }
            String t = fromTag;
            fromTag = toTag;
            toTag = t;
        }
        boolean proxied = alreadyProxied(body);
        if (proxied && !flags.force) {
            return -2;
        }
        SdpPart part = SdpPart.find(body, m.contentType());
        if (part == null) {
            LOG.error("Unable to parse sdp");
            return -1;
        }
        Sdp sdp = Sdp.parse(body, part.start(), part.end());
        if (sdp.streamCount() == 0) {
            LOG.error("sdp w/o streams");
            return -1;
        }
        StringBuilder opts = new StringBuilder().append(create ? 'U' : 'L').append(flags.modifiers);
        boolean autoBridge = flags.autoBridge;
        BodyEdits edits = new BodyEdits(body);
        int medianum = 0;
        for (Sdp.Session session : sdp.sessions) {
            boolean sessionConnectionAltered = false;
            boolean originPending = session.origin != null;
            for (Sdp.Media stream : session.media) {
                Sdp.Address oldAddress = stream.connection != null ? stream.connection : session.connection;
                String oldIp = oldAddress == null ? "" : oldAddress.text(body);
                boolean oldV6 = oldAddress != null && oldAddress.ipv6();
                String oldPort = stream.port.text(body);
                medianum++;
                String sentIp = flags.trustSdpAddress ? oldIp : m.sourceIp();
                boolean newV6 = flags.trustSdpAddress ? oldV6 : m.sourceIsIpv6();
                if (oldV6) {
                    if (autoBridge) {
                        opts.append("EI");
                        autoBridge = false;
                    }
                    opts.append('6');
                } else if (autoBridge) {
                    opts.append("IE");
                    autoBridge = false;
                }
                String reply;
                do {
                    RtpproxyNode node = selector.select(set, callId);
                    if (node == null) {
                        LOG.error("no available proxies");
                        return -3;
                    }
                    StringBuilder cmd = new StringBuilder(128).append(opts);
                    if (!flags.repacketize.isEmpty()) {
                        if (node.repacketizationSupported) {
                            cmd.append(flags.repacketize);
                        } else {
                            LOG.warn("re-packetization is requested but is not supported by the selected RTP proxy node");
                        }
                    }
                    if (stream.rtp && !stream.payloads.isEmpty() && node.payloadListSupported) {
                        cmd.append('c').append(payloadList(stream.payloads));
                    }
                    cmd.append(' ').append(callId).append(callIdSuffix).append(' ').append(sentIp).append(' ')
                            .append(oldPort).append(' ').append(fromTag).append(';').append(medianum);
                    if (!toTag.isEmpty()) {
                        cmd.append(' ').append(toTag).append(';').append(medianum);
                        if (cmd.charAt(0) == 'U' && !timeoutSocket.isEmpty()) {
                            cmd.append(' ').append(timeoutSocket);
                        }
                    }
                    reply = client.send(node, cmd.toString());
                } while (reply == null);
                List<String> argv = ReplyParser.tokens(reply);
                if (argv.isEmpty()) {
                    LOG.error("no reply from rtp proxy");
                    return -1;
                }
                int port = ReplyParser.atoi(argv.getFirst());
                if (port <= 0 || port > 65535) {
                    if (port != 0 || !flags.lookup) {
                        LOG.error("incorrect port {} in reply from rtp proxy", port);
                    }
                    return -1;
                }
                if (argv.size() == 2) {
                    newV6 = false;
                } else if (argv.size() >= 3) {
                    newV6 = argv.get(2).charAt(0) == '6';
                }
                String newIp;
                if (oldAddress != null && Sdp.isNullAddress(oldIp, oldV6)) {
                    newIp = newV6 ? "::" : "0.0.0.0";
                } else if (forcedIp) {
                    newIp = ip;
                } else {
                    newIp = argv.size() < 2 ? ip : argv.get(1);
                }
                if (!oldPort.equals("0")) {
                    edits.replaceIfDifferent(stream.port, Integer.toString(port));
                }
                if (stream.rtcpPort != null) {
                    edits.replaceIfDifferent(stream.rtcpPort, Integer.toString(port + 1));
                }
                if (stream.connection != null) {
                    edits.replaceAddress(stream.connection, newIp, newV6);
                } else if (session.connection != null && !sessionConnectionAltered) {
                    edits.replaceAddress(session.connection, newIp, newV6);
                    sessionConnectionAltered = true;
                }
                if (flags.sessionConnection && session.connection != null && !sessionConnectionAltered) {
                    edits.replaceAddress(session.connection, newIp, newV6);
                    sessionConnectionAltered = true;
                }
                if (originPending) {
                    edits.replaceAddress(session.origin, newIp, newV6);
                    originPending = false;
                }
            }
        }
        if (!proxied && !marker.isEmpty()) {
            int end = part.end();
            while (end > part.start() && (body.charAt(end - 1) == '\r' || body.charAt(end - 1) == '\n')) {
                end--;
            }
            edits.insert(end, "\r\n" + marker);
        }
        m.replaceBody(edits.apply());
        return 1;
    }

    /** Kamailio's unforce_rtp_proxy: D for the whole call (every m= line). */
    int destroy(Signalling m, RtpproxySets.NodeSet set, String flagText) {
        RtpproxyFlags.DestroyFlags flags = RtpproxyFlags.DestroyFlags.parse(flagText, !m.isRequest());
        if (flags == null) {
            LOG.error("unknown option in '{}'", flagText);
            return -1;
        }
        String callId = m.callId();
        if (callId == null || callId.isEmpty()) {
            LOG.error("can't get Call-Id field");
            return -1;
        }
        String toTag = flags.withToTag() && m.toTag() != null ? m.toTag() : "";
        String fromTag = m.fromTag();
        if (fromTag == null || fromTag.isEmpty()) {
            LOG.error("can't get From tag");
            return -1;
        }
        String suffix = callIdSuffix(m, flags.via(), flags.extraId());
        if (suffix == null) {
            return -1;
        }
        RtpproxyNode node = selector.select(set, callId);
        if (node == null) {
            LOG.error("no available proxies");
            return -1;
        }
        client.send(node, "D " + callId + suffix + " " + fromTag + (toTag.isEmpty() ? "" : " " + toTag));
        return 1;
    }

    /** Kamailio's rtpproxy_manage decision table. {@code ip} null: use $Ri. */
    int manage(Signalling m, RtpproxySets.NodeSet set, String flags, String ip) {
        if (m.routeType() == RouteType.BRANCH_FAILURE) {
            return 1;
        }
        String method = m.method();
        if (method == null) {
            LOG.error("no CSEQ header");
            return -1;
        }
        boolean invite = method.equals("INVITE");
        boolean update = method.equals("UPDATE");
        boolean prack = method.equals("PRACK");
        boolean ack = method.equals("ACK");
        if (!(invite || ack || update || prack || method.equals("CANCEL") || method.equals("BYE"))) {
            return -1;
        }
        if (method.equals("CANCEL") || method.equals("BYE")) {
            return destroy(m, set, flags);
        }
        String useIp = ip == null ? m.localIp() : ip;
        boolean forced = ip != null;
        boolean hasSdp = SdpPart.find(m.body(), m.contentType()) != null;
        if (m.isRequest()) {
            if (ack && hasSdp) {
                return offerAnswer(m, set, flags, useIp, false, forced);
            }
            if ((prack || update) && hasSdp) {
                return offerAnswer(m, set, flags, useIp, true, forced);
            }
            if (invite) {
                invites.remember(m.callId(), m.cseqNumber(), hasSdp);
            }
            if (invite && hasSdp) {
                if (m.routeType() == RouteType.FAILURE) {
                    return destroy(m, set, flags);
                }
                return offerAnswer(m, set, flags, useIp, true, forced);
            }
        } else {
            if (m.status() >= 300) {
                return destroy(m, set, flags);
            }
            if (hasSdp) {
                if (prack || update) {
                    return offerAnswer(m, set, flags, useIp, false, forced);
                }
                Boolean inviteHadSdp = invites.lookup(m.callId(), m.cseqNumber());
                // no transaction known, or an INVITE with SDP: this is the answer; else a late offer
                boolean answer = inviteHadSdp == null || inviteHadSdp;
                return offerAnswer(m, set, flags, useIp, !answer, forced);
            }
        }
        return -1;
    }

    /** R: record the call (the relay decides where). */
    int startRecording(Signalling m, RtpproxySets.NodeSet set) {
        String[] tags = orderedTags(m, true);
        if (tags == null) {
            return -1;
        }
        RtpproxyNode node = selector.select(set, m.callId());
        if (node == null) {
            LOG.error("no available proxies");
            return -1;
        }
        client.send(node, "R " + m.callId() + " " + tags[0] + (tags[1].isEmpty() ? "" : " " + tags[1]));
        return 1;
    }

    /** P: play a prompt to the UAC (or the UAS); count -1 loops. */
    int playPrompt(Signalling m, RtpproxySets.NodeSet set, String prompt, int count, boolean toUac) {
        String[] tags = streamTags(m, toUac);
        if (tags == null) {
            return -1;
        }
        RtpproxyNode node = selector.select(set, m.callId());
        if (node == null || !node.payloadListSupported) {
            LOG.error(node == null ? "no available proxies" : "required functionality is not supported by the relay");
            return -1;
        }
        client.send(node, "P" + count + " " + m.callId() + " " + prompt + " session " + tags[0] + ";1 "
                + (tags[1].isEmpty() ? "" : tags[1] + ";1"));
        return 1;
    }

    /** S: stop a prompt. */
    int stopPrompt(Signalling m, RtpproxySets.NodeSet set, boolean toUac) {
        String[] tags = streamTags(m, toUac);
        if (tags == null) {
            return -1;
        }
        RtpproxyNode node = selector.select(set, m.callId());
        if (node == null || !node.payloadListSupported) {
            LOG.error(node == null ? "no available proxies" : "required functionality is not supported by the relay");
            return -1;
        }
        client.send(node, "S " + m.callId() + " " + tags[0] + ";1 " + (tags[1].isEmpty() ? "" : tags[1] + ";1"));
        return 1;
    }

    /** Q: the relay's statistics for $rtpstat, or null. */
    String query(Signalling m, RtpproxySets.NodeSet set) {
        String[] tags = orderedTags(m, true);
        if (tags == null) {
            return null;
        }
        RtpproxyNode node = selector.select(set, m.callId());
        if (node == null) {
            return null;
        }
        String reply = client.send(node, "Q " + m.callId() + " " + tags[0] + ";1"
                + (tags[1].isEmpty() ? "" : " " + tags[1] + ";1"));
        return reply == null ? null : reply.strip();
    }

    /** From/To tags, swapped for replies; null if a needed tag is missing. */
    private static String[] orderedTags(Signalling m, boolean swapForReplies) {
        String from = m.fromTag();
        String to = m.toTag() == null ? "" : m.toTag();
        if (m.callId() == null || m.callId().isEmpty() || from == null || from.isEmpty()) {
            return null;
        }
        if (swapForReplies && !m.isRequest()) {
            return to.isEmpty() ? null : new String[] {to, from};
        }
        return new String[] {from, to};
    }

    /** Tag order of P/S: the UAC side hears the prompt with the From-tag first. */
    private static String[] streamTags(Signalling m, boolean toUac) {
        String from = m.fromTag();
        String to = m.toTag() == null ? "" : m.toTag();
        if (m.callId() == null || m.callId().isEmpty() || from == null || from.isEmpty()) {
            return null;
        }
        if (!toUac) {
            return to.isEmpty() ? null : new String[] {to, from};
        }
        return new String[] {from, to};
    }

    /** ";branch" (flags 1/2/3), ";extra-id" (flag b), "" or null when a needed Via branch is missing. */
    private static String callIdSuffix(Signalling m, int via, boolean extra) {
        if (via != 0) {
            String branch = m.viaBranch(via);
            if (branch == null || branch.isEmpty()) {
                LOG.error("can't get Via branch");
                return null;
            }
            return ";" + branch;
        }
        if (extra) {
            String id = m.extraId();
            if (id != null) {
                return ";" + id;
            }
        }
        return "";
    }

    /** The marker must start a line to count (Kamailio checks the preceding CR/LF). */
    private boolean alreadyProxied(String body) {
        String mark = marker;
        if (mark.isEmpty()) {
            return false;
        }
        int from = 0;
        int at;
        while ((at = body.indexOf(mark, from)) >= 0) {
            if (at > 0 && (body.charAt(at - 1) == '\n' || body.charAt(at - 1) == '\r')) {
                return true;
            }
            from = at + mark.length();
        }
        return false;
    }

    /** "0 8 101" to "0,8,101": digits kept, every run of other characters one comma. */
    static String payloadList(String payloads) {
        StringBuilder out = new StringBuilder(payloads.length());
        boolean separator = false;
        for (int i = 0; i < payloads.length(); i++) {
            char c = payloads.charAt(i);
            if (Character.isDigit(c)) {
                if (separator && !out.isEmpty()) {
                    out.append(',');
                }
                separator = false;
                out.append(c);
            } else {
                separator = true;
            }
        }
        return out.toString();
    }
}
