package dev.kemi.runtime.compare;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Topology-free scenarios: a request the proxy sends to an address no UA has (a cfg's own
 * {@code $du}, a gateway of its own) still reaches the callee the scenario means, so a user's cfg
 * needs no edits and no corpus of its own. The trace keeps the real destination, so two cfgs that
 * send to different places still differ.
 */
final class CalleeFinder {
    private final Map<String, InetSocketAddress> uas = new LinkedHashMap<>();
    private final List<String> answering = new ArrayList<>();

    void add(String name, InetSocketAddress addr, boolean answers) {
        uas.put(name, addr);
        if (answers) answering.add(name);
    }

    /**
     * The UA a request is for: the one at the Request-URI's host:port, else the one named by the
     * Request-URI's or the To URI's user, else the scenario's only answering UA; null for a
     * response or when nothing fits (the request stays in the void).
     */
    String calleeOf(byte[] message) {
        SipText m = SipText.parse(message);
        if (m.isResponse()) return null;
        String ruri = m.requestUri();
        String at = hostPort(ruri);
        for (Map.Entry<String, InetSocketAddress> e : uas.entrySet()) {
            if (at != null && at.equals(VirtualNetwork.addr(e.getValue()))) return e.getKey();
        }
        String to = m.header("To");
        for (String uri : new String[] {ruri, to == null ? null : SipText.uriOf(to)}) {
            String user = user(uri);
            if (user != null && uas.containsKey(user)) return user;
        }
        return answering.size() == 1 ? answering.get(0) : null;
    }

    /** "user" of sip:user@host..., or null. */
    private static String user(String uri) {
        if (uri == null) return null;
        int colon = uri.indexOf(':');
        int at = uri.indexOf('@');
        return colon < 0 || at <= colon ? null : uri.substring(colon + 1, at);
    }

    /** "host:port" of a SIP URI with an explicit port, or null. */
    private static String hostPort(String uri) {
        if (uri == null) return null;
        int start = uri.indexOf('@') >= 0 ? uri.indexOf('@') + 1 : uri.indexOf(':') + 1;
        int end = start;
        while (end < uri.length() && ";?>".indexOf(uri.charAt(end)) < 0) end++;
        String hp = uri.substring(start, end);
        return hp.indexOf(':') > 0 ? hp : null;
    }
}
