package dev.kemi.runtime.modules.outbound;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.transport.ReceiveInfo;

/**
 * What outbound offers rr and path (Kamailio's ob_binds): bound with
 * {@code services.optionalApi(OutboundApi.class)} at init, absent when outbound is not loaded.
 */
public interface OutboundApi {
    /** The flow token for the flow a message came over. */
    String encodeFlowToken(ReceiveInfo received);

    /**
     * The flow a token names, decoded once per message (later calls return that flow):
     * null when the text is no flow token.
     *
     * @throws FlowToken.Broken when it has a token's shape but fails validation
     */
    Flow decodeFlowToken(MessageContext ctx, String token) throws FlowToken.Broken;

    /**
     * Whether outbound applies to this request: 0 no, 1 yes (this proxy is the first hop: a
     * new flow token is made), 2 yes, "incoming" (our top Route carries a flow token of another
     * flow: the request goes to the client over it).
     */
    int useOutbound(MessageContext ctx);
}
