package dev.kemi.tests.differential;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites what legitimately differs between two proxies so the rest compares byte for byte:
 * ports each run got (proxy, client, next hop), Via branches and To-tags the proxy generated
 * (tests use "z9hG4bK-c..." and "t-..." for theirs) with Kamailio's TCP connection id next to
 * its branch, and the Server / User-Agent values.
 */
final class Normaliser {
    private static final Pattern PORT = Pattern.compile("(?<=[:=])(\\d{4,5})(?!\\d)");
    private static final Pattern BRANCH = Pattern.compile("branch=(?!z9hG4bK-c)[^;,\\s>]+");
    /** Kamailio's ";i=" after its branch: the id of the TCP connection the request came on, an internal handle. */
    private static final Pattern CONNECTION_ID = Pattern.compile("(branch=<GENERATED>);i=[0-9a-f]+");
    private static final Pattern TO_TAG = Pattern.compile("(?im)^((?:To|t)\\s*:[^\\r\\n]*;\\s*tag=)(?!t-)[^;\\s\\r\\n]+");
    private static final Pattern AGENT = Pattern.compile("(?im)^(Server|User-Agent)\\s*:[^\\r\\n]*");

    private final int proxyPort;
    private final int nextPort;
    private final Set<Integer> clientPorts;

    Normaliser(int proxyPort, int nextPort, Set<Integer> clientPorts) {
        this.proxyPort = proxyPort;
        this.nextPort = nextPort;
        this.clientPorts = clientPorts;
    }

    String normalise(String text) {
        Matcher m = PORT.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            int p = Integer.parseInt(m.group(1));
            String r = p == proxyPort ? "<PROXY-PORT>" : p == nextPort ? "<NEXT-PORT>" : clientPorts.contains(p) ? "<CLIENT-PORT>" : m.group(1);
            m.appendReplacement(sb, Matcher.quoteReplacement(r));
        }
        m.appendTail(sb);
        String s = BRANCH.matcher(sb).replaceAll("branch=<GENERATED>");
        s = CONNECTION_ID.matcher(s).replaceAll("$1");
        s = TO_TAG.matcher(s).replaceAll("$1<GENERATED>");
        return AGENT.matcher(s).replaceAll("$1: <AGENT>");
    }
}
