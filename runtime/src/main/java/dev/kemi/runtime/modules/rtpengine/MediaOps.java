package dev.kemi.runtime.modules.rtpengine;

import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.rtpproxy.LateOfferTracker;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the script functions do with an ng reply: offer/answer put rtpengine's SDP in place of the
 * message's (only the SDP part of a multipart body), the others only need "ok"; rtpengine_manage
 * picks the command from method and status as 5.6.3 does. 1 success, -1 failure.
 */
final class MediaOps {

    private static final Logger LOG = LoggerFactory.getLogger(MediaOps.class);

    private final NgCall ng;
    /** Whether the INVITE had SDP: Kamailio's FL_SDP_BODY on the tm transaction's request. */
    private final LateOfferTracker invites = new LateOfferTracker();

    MediaOps(NgCall ng) {
        this.ng = ng;
    }

    int offerAnswer(MessageContext ctx, EngineSets.EngineSet set, Op op, String flags) {
        NgCall.Reply reply = ng.call(ctx, set, op, flags);
        if (reply == null) {
            return -1;
        }
        if (!(reply.dict().get("sdp") instanceof String sdp)) {
            LOG.error("failed to extract sdp body from proxy reply");
            return -1;
        }
        if (reply.part() == null) {
            return 1; // a command turned into another by its flags: nothing to replace
        }
        String body = reply.body();
        String replaced = body.substring(0, reply.part().start()) + sdp + body.substring(reply.part().end());
        ctx.msg().setBody(replaced.getBytes(StandardCharsets.ISO_8859_1), null);
        return 1;
    }

    int simple(MessageContext ctx, EngineSets.EngineSet set, Op op, String flags) {
        return ng.call(ctx, set, op, flags) == null ? -1 : 1;
    }

    /** Kamailio's rtpengine_manage decision by method, direction, status and SDP. */
    int manage(MessageContext ctx, EngineSets.EngineSet set, String flags) {
        if (ctx.routeType() == RouteType.BRANCH_FAILURE) {
            return 1; // the delete is done in the transaction's failure route
        }
        SipMessage msg = ctx.msg();
        long cseq;
        String method;
        try {
            cseq = msg.cseq().value();
            method = msg.cseq().method();
        } catch (SipParseException | RuntimeException e) {
            LOG.error("no CSEQ header");
            return -1;
        }
        switch (method) {
            case "INVITE", "ACK", "CANCEL", "BYE", "UPDATE", "PRACK" -> { }
            default -> {
                return -1;
            }
        }
        if (method.equals("CANCEL") || method.equals("BYE")) {
            return simple(ctx, set, Op.DELETE, flags);
        }
        boolean sdp = hasSdp(msg);
        if (msg.isRequest()) {
            if ((method.equals("ACK") || method.equals("PRACK")) && sdp) {
                return offerAnswer(ctx, set, Op.ANSWER, flags);
            }
            if (method.equals("UPDATE") && sdp) {
                return offerAnswer(ctx, set, Op.OFFER, flags);
            }
            if (method.equals("INVITE")) {
                invites.remember(msg.callId(), cseq, sdp);
                if (sdp) {
                    if (ctx.routeType() == RouteType.FAILURE) {
                        return simple(ctx, set, Op.DELETE, flags);
                    }
                    return offerAnswer(ctx, set, Op.OFFER, flags);
                }
            }
        } else {
            if (msg.status() >= 300) {
                return simple(ctx, set, Op.DELETE, flags);
            }
            if (sdp) {
                if (method.equals("UPDATE")) {
                    return offerAnswer(ctx, set, Op.ANSWER, flags);
                }
                Boolean inviteHadSdp = invites.lookup(msg.callId(), cseq);
                boolean answer = inviteHadSdp == null || inviteHadSdp;
                return offerAnswer(ctx, set, answer ? Op.ANSWER : Op.OFFER, flags);
            }
        }
        return -1;
    }

    /** Kamailio's parse_sdp succeeds: an SDP body (or SDP part of a multipart one) is there. */
    private static boolean hasSdp(SipMessage msg) {
        byte[] body = msg.body();
        if (body.length == 0) {
            return false;
        }
        String type = msg.contentType();
        return dev.kemi.runtime.modules.rtpproxy.SdpPart.find(new String(body, StandardCharsets.ISO_8859_1),
                type) != null;
    }

    /** $rtpstat: a query's totals, or null when the query fails. */
    @SuppressWarnings("unchecked")
    String rtpstat(MessageContext ctx, EngineSets.EngineSet set) {
        NgCall.Reply reply = ng.call(ctx, set, Op.QUERY, null);
        if (reply == null || !(reply.dict().get("totals") instanceof Map<?, ?> totals)
                || !(totals.get("RTP") instanceof Map<?, ?> rtp) || !(totals.get("RTCP") instanceof Map<?, ?> rtcp)) {
            return null;
        }
        return "RTP: " + number(rtp, "bytes") + " bytes, " + number(rtp, "packets") + " packets, "
                + number(rtp, "errors") + " errors; RTCP: " + number(rtcp, "bytes") + " bytes, "
                + number(rtcp, "packets") + " packets, " + number(rtcp, "errors") + " errors";
    }

    private static long number(Map<?, ?> dict, String key) {
        return dict.get(key) instanceof Long l ? l : -1;
    }
}
