package dev.kemi.runtime.transport.ws;

/**
 * How an upgraded connection behaves.
 *
 * @param maxPayload largest message (frame payload, or fragments put together) accepted, in bytes
 * @param counters   the websocket module's statistics
 */
public record WsSettings(int maxPayload, WsCounters counters) {}
