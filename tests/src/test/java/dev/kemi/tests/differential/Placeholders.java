package dev.kemi.tests.differential;

/**
 * Fills a message template for one proxy: {proxy} its address, {pport} its port, {next} the next
 * hop, {client} the client socket, {callid} and {n} the same for both proxies.
 */
record Placeholders(int proxyPort, String next, String callId, int n) {

    String fill(String template, int clientPort) {
        return template.replace("{proxy}", "127.0.0.1:" + proxyPort)
                .replace("{pport}", Integer.toString(proxyPort))
                .replace("{next}", next)
                .replace("{client}", "127.0.0.1:" + clientPort)
                .replace("{cport}", Integer.toString(clientPort))
                .replace("{callid}", callId)
                .replace("{n}", Integer.toString(n));
    }

    /** A cfg with {port} and {next} filled ({dir} is left for whoever writes the file). */
    static String cfg(String cfg, int proxyPort, String next) {
        return cfg.replace("{port}", Integer.toString(proxyPort)).replace("{next}", next);
    }
}
