package dev.kemi.runtime.modules.xhttp;

/** The HTTP request behind an event_route[xhttp:request] message: its request line, for $hu. */
public record HttpRequest(String method, String url, String version) {}
