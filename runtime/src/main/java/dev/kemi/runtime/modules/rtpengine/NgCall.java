package dev.kemi.runtime.modules.rtpengine;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.rtpproxy.SdpPart;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.Via;
import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ng command for the message being processed, as Kamailio's rtpp_function_call: the
 * dictionary (SDP, flags, call-id, tags in the direction of the message, via-branch,
 * received-from, command), the instance chosen and, when it fails, load-limited or out of
 * ports, the next one, up to {@code queriedNodesLimit}; the reply dictionary when its result is "ok".
 */
final class NgCall {

    private static final Logger LOG = LoggerFactory.getLogger(NgCall.class);
    private static final String SESSION_LIMIT = "Parallel session limit reached";
    private static final String OUT_OF_PORTS = "Ran out of ports";

    /** The ok reply, and the SDP part of the message that was sent (offer/answer). */
    record Reply(Map<String, Object> dict, String body, SdpPart part) { }

    private final NgClient client;
    private final Balancer balancer;
    volatile int queriedNodesLimit = 30;

    NgCall(NgClient client, Balancer balancer) {
        this.client = client;
        this.balancer = balancer;
    }

    /** The reply whose result is "ok", or null (logged). */
    Reply call(MessageContext ctx, EngineSets.EngineSet set, Op requested, String flagsText) {
        SipMessage msg = ctx.msg();
        String callId = msg.callId();
        if (callId == null || callId.isEmpty()) {
            LOG.error("can't get Call-Id field");
            return null;
        }
        String toTag;
        String fromTag;
        try {
            NameAddr to = msg.to();
            NameAddr from = msg.from();
            toTag = to == null ? null : to.tag();
            fromTag = from == null ? null : from.tag();
        } catch (SipParseException e) {
            LOG.error("can't get From/To tag: {}", e.getMessage());
            return null;
        }
        if (fromTag == null || fromTag.isEmpty()) {
            LOG.error("can't get From tag");
            return null;
        }
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("supports", List.of("load limit"));
        NgFlags f = new NgFlags(dict, requested);
        f.callId = callId;
        f.fromTag = fromTag;
        f.toTag = toTag;
        String body = null;
        SdpPart part = null;
        boolean fragment = false;
        if (requested == Op.OFFER || requested == Op.ANSWER) {
            body = new String(msg.body(), StandardCharsets.ISO_8859_1);
            String type = msg.contentType() == null ? null : msg.contentType().strip().toLowerCase(Locale.ROOT);
            if (body.isEmpty()) {
                LOG.error("can't extract body from the message");
                return null;
            }
            if (type == null || type.startsWith("application/sdp")) {
                part = new SdpPart(0, body.length());
            } else if (type.startsWith("application/trickle-ice-sdpfrag")) {
                part = new SdpPart(0, body.length());
                fragment = true;
            } else if (type.startsWith("multipart/mixed")) {
                part = SdpPart.find(body, msg.contentType());
            }
            if (part == null) {
                LOG.error("can't extract body from the message");
                return null;
            }
            dict.put("sdp", body.substring(part.start(), part.end()));
        }
        if (!f.parse(flagsText)) {
            return null;
        }
        Op op = f.op;
        if (fragment) {
            f.flags.add("fragment");
        }
        f.addCollected();
        dict.put("call-id", f.callId);
        String viaBranch = "";
        if (f.via != 0) {
            viaBranch = viaBranch(msg, f.via);
            if (viaBranch == null || viaBranch.isEmpty()) {
                LOG.error("can't get Via branch/extra ID");
                return null;
            }
            dict.put("via-branch", viaBranch);
        }
        InetAddress source = ctx.received().source().getAddress();
        List<Object> receivedFrom = new ArrayList<>(2);
        receivedFrom.add(source instanceof Inet4Address ? "IP4" : "IP6");
        receivedFrom.add(NetUtil.toAddressString(source));
        dict.put("received-from", receivedFrom);
        if (!tags(dict, f, msg, op)) {
            return null;
        }
        dict.put("command", op.command);
        Map<String, Object> reply = send(set, f.callId, viaBranch, op, Bencode.encode(dict));
        if (reply == null) {
            return null;
        }
        if (op == Op.DELETE) {
            balancer.forget(f.callId, viaBranch);
        }
        if (!"ok".equals(reply.get("result"))) {
            LOG.error("proxy didn't return \"ok\" result");
            return null;
        }
        return new Reply(reply, body, part);
    }

    /** from-tag/to-tag: the message's own direction, or swapped for an answer in a request. */
    private static boolean tags(Map<String, Object> dict, NgFlags f, SipMessage msg, Op op) {
        boolean request = msg.isRequest();
        if (op.mediaControl()) {
            if (f.directional) {
                dict.put("from-tag", f.fromTag);
            }
        } else if ((request && op != Op.ANSWER) || (!request && (op == Op.DELETE || op == Op.ANSWER)) || f.directional) {
            dict.put("from-tag", f.fromTag);
            if (f.to && f.toTag != null && !f.toTag.isEmpty()) {
                dict.put("to-tag", f.toTag);
            }
        } else {
            if (f.toTag == null || f.toTag.isEmpty()) {
                LOG.error("No to-tag present");
                return false;
            }
            dict.put("from-tag", f.toTag);
            dict.put("to-tag", f.fromTag);
        }
        return true;
    }

    private static String viaBranch(SipMessage msg, int via) {
        boolean reply = !msg.isRequest();
        int which = switch (via) {
            case 3 -> reply ? 2 : 1;
            case -3 -> reply ? 1 : -2;
            case -4 -> reply ? 1 : -1;
            default -> via;
        };
        if (which < 0) {
            // extra_id_pv and the next branch's id (tm's branch builder) are not implemented
            LOG.error("via-branch={} is not supported", which == -1 ? "extra" : "next");
            return null;
        }
        try {
            List<Via> vias = msg.vias();
            return vias.size() < which ? null : vias.get(which - 1).branch();
        } catch (SipParseException e) {
            return null;
        }
    }

    /** Sends to the chosen instance, then to the next ones while they fail; the decoded reply or null. */
    private Map<String, Object> send(EngineSets.EngineSet set, String callId, String viaBranch, Op op, byte[] request) {
        if (set == null) {
            LOG.error("script error - no valid set selected");
            return null;
        }
        List<EngineNode> tried = new ArrayList<>();
        while (true) {
            if (tried.size() >= queriedNodesLimit) {
                LOG.error("queried nodes limit reached");
                return null;
            }
            EngineNode node = balancer.select(set, callId, viaBranch, tried, op);
            if (node == null) {
                LOG.error("no available proxies");
                return null;
            }
            byte[] raw = client.send(node, request, op.command);
            tried.add(node);
            if (raw == null) {
                balancer.disable(node);
                continue;
            }
            Map<String, Object> reply = decode(raw, node);
            if (reply == null) {
                return null;
            }
            Object result = reply.get("result");
            if (!(result instanceof String)) {
                LOG.error("No 'result' dictionary entry in response from proxy {}", node);
                return null;
            }
            if (result.equals("load limit")) {
                LOG.info("proxy {} has reached its load limit - trying next one", node);
                continue;
            }
            if (result.equals("error")) {
                Object reason = reply.get("error-reason");
                if (SESSION_LIMIT.equals(reason) || OUT_OF_PORTS.equals(reason)) {
                    LOG.warn("proxy {}: {}", node, reason);
                    continue;
                }
                LOG.error("proxy replied with error: {}", reason);
                return null;
            }
            balancer.remember(callId, viaBranch, node);
            return reply;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> decode(byte[] raw, EngineNode node) {
        try {
            if (Bencode.decode(raw, 0, raw.length) instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
        } catch (IllegalArgumentException e) {
            // logged below
        }
        LOG.error("failed to decode bencoded reply from proxy {}: {}", node,
                new String(raw, 0, Math.min(raw.length, 200), StandardCharsets.ISO_8859_1));
        return null;
    }
}
