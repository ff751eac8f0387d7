package dev.kemi.runtime.transport.ws;

/** A transport whose stream connections can be switched to WebSocket (ws_handle_handshake's job). */
public interface WsUpgrader {
    /**
     * Sends the 101 reply on that TCP (or TLS) connection and from then on reads and writes
     * WebSocket frames on it.
     *
     * @return the session, or null when there is no such open connection or it is already upgraded
     */
    WsSession upgradeToWebSocket(int connectionId, byte[] reply, WsSettings settings);
}
