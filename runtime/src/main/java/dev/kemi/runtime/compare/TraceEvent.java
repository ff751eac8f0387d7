package dev.kemi.runtime.compare;

/**
 * One thing that happened during a scenario run.
 *
 * @param from   "alice", "proxy" ...
 * @param to     UA name, "proxy", or "void" when the proxy sent to an address no UA has
 * @param target transport and address of the destination ("udp 127.0.0.1:5072")
 * @param socket proxy socket involved ("udp:127.0.0.1:5060"): the sending one for messages the
 *               proxy sent, the receiving one for messages sent to it
 * @param text   full message text, or the note
 */
public record TraceEvent(Kind kind, long atMs, String from, String to, String target, String socket, String text) {
    public enum Kind {
        /** A UA sent to the proxy. */
        TO_PROXY,
        /** The proxy sent to a UA, which got it. */
        FROM_PROXY,
        /** The proxy sent to a UA; the scenario dropped it (lose). */
        LOST,
        /** The proxy sent to an address nobody has (or a TCP connect failed). */
        VOID,
        /** Not a message: a scenario failure or remark. */
        NOTE
    }

    /** True for what the comparison looks at: everything the proxy sent. */
    public boolean sentByProxy() {
        return kind == Kind.FROM_PROXY || kind == Kind.LOST || kind == Kind.VOID;
    }

    /** "proxy -> bob: INVITE" */
    public String arrow() {
        if (kind == Kind.NOTE) return "note: " + text;
        String label = SipText.parse(text).summary();
        String suffix = kind == Kind.LOST ? " (lost)" : kind == Kind.VOID ? " (to " + target + ", nobody there)" : "";
        return from + " -> " + to + ": " + label + suffix;
    }
}
