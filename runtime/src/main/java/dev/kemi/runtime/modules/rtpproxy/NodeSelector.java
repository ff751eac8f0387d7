package dev.kemi.runtime.modules.rtpproxy;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the relay for a call (Call-ID hash over the weights of the enabled nodes) and runs the
 * capability handshake that enables a node: V must answer 20040107, VF 20050322 must answer 1;
 * VF 20071116 and VF 20081102 decide whether Z and c may be sent.
 */
final class NodeSelector {

    private static final Logger LOG = LoggerFactory.getLogger(NodeSelector.class);
    static final int PROTOCOL_VERSION = 20040107;
    static final String REQUIRED_FEATURE = "20050322";
    static final String REPACKETIZATION = "20071116";
    static final String PAYLOAD_LIST = "20081102";

    private final ControlClient client;

    NodeSelector(ControlClient client) {
        this.client = client;
    }

    /** Kamailio's select_rtpp_node: null when every node of the set is down. */
    RtpproxyNode select(RtpproxySets.NodeSet set, String callId) {
        if (set == null) {
            LOG.error("script error - no valid set selected");
            return null;
        }
        List<RtpproxyNode> nodes = set.nodes();
        if (nodes.size() == 1) {
            RtpproxyNode node = nodes.getFirst();
            if (node.disabled && node.recheckAt <= client.now()) {
                node.disabled = test(node, true, false);
            }
            return node.disabled ? null : node;
        }
        int sum = 0;
        for (int i = 0; i < callId.length(); i++) {
            sum += (byte) callId.charAt(i);
        }
        sum &= 0xff;
        boolean forced = false;
        while (true) {
            int weightSum = 0;
            for (RtpproxyNode node : nodes) {
                if (node.disabled && node.recheckAt <= client.now()) {
                    node.disabled = test(node, true, false);
                }
                if (!node.disabled) {
                    weightSum += node.weight;
                }
            }
            if (weightSum == 0) {
                if (forced) {
                    return null;
                }
                forced = true;
                for (RtpproxyNode node : nodes) {
                    node.disabled = test(node, true, true);
                }
                continue;
            }
            int cut = Integer.remainderUnsigned(sum, weightSum);
            RtpproxyNode chosen = null;
            for (RtpproxyNode node : nodes) {
                if (node.disabled) {
                    continue;
                }
                if (cut < node.weight) {
                    chosen = node;
                    break;
                }
                cut -= node.weight;
            }
            if (chosen == null) {
                return null;
            }
            chosen.disabled = test(chosen, chosen.disabled, false);
            if (!chosen.disabled) {
                return chosen;
            }
        }
    }

    /** Kamailio's rtpp_test: the handshake; true when the node is (still) disabled. */
    boolean test(RtpproxyNode node, boolean isDisabled, boolean force) {
        if (node.recheckAt == RtpproxyNode.NEVER) {
            return true;
        }
        if (!force) {
            if (!isDisabled) {
                return false;
            }
            if (node.recheckAt > client.now()) {
                return true;
            }
        }
        String version = client.send(node, "V");
        if (version == null) {
            LOG.warn("can't get version of the RTP proxy {}", node);
            return disabledAfterFailure(node);
        }
        if (ReplyParser.atoi(version) != PROTOCOL_VERSION) {
            LOG.warn("unsupported version of RTP proxy <{}> found: {} supported, {} present", node,
                    PROTOCOL_VERSION, version.strip());
            return disabledAfterFailure(node);
        }
        int required = checkCapability(node, REQUIRED_FEATURE);
        if (required != 1) {
            LOG.warn("RTP proxy <{}> {}", node, required < 0 ? "went down during version query"
                    : "doesn't support required protocol version " + REQUIRED_FEATURE);
            return disabledAfterFailure(node);
        }
        LOG.info("rtp proxy <{}> found, support for it {}enabled", node, force ? "" : "re-");
        node.repacketizationSupported = checkCapability(node, REPACKETIZATION) == 1;
        node.payloadListSupported = checkCapability(node, PAYLOAD_LIST) == 1;
        return false;
    }

    /** 1 supported, 0 not, -1 no answer. */
    private int checkCapability(RtpproxyNode node, String feature) {
        String reply = client.send(node, "VF " + feature);
        if (reply == null) {
            return -1;
        }
        return reply.startsWith("E") || ReplyParser.atoi(reply) != 1 ? 0 : 1;
    }

    private boolean disabledAfterFailure(RtpproxyNode node) {
        LOG.warn("support for RTP proxy <{}> has been disabled{}", node,
                client.disableSeconds < 0 ? "" : " temporarily");
        client.disable(node);
        return true;
    }
}
