package dev.kemi.runtime.transport;

/**
 * One alias= entry (or a name the proxy answers to because a listen= line used it).
 *
 * @param proto null matches any protocol
 * @param host  host name or IP text, as written (IPv6 without brackets)
 * @param port  0 matches any port
 */
public record Alias(Protocol proto, String host, int port) {}
