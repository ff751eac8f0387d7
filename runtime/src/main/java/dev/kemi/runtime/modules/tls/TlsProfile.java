package dev.kemi.runtime.modules.tls;

import java.net.InetSocketAddress;

/**
 * One TLS domain of tls.cfg ({@code [server:default]}, {@code [client:127.0.0.1:5061]},
 * {@code [server:any]} ...), with the module parameters filling what it leaves unset.
 *
 * @param server  a server (accepting) profile, else a client one
 * @param scope   DEFAULT, ANY (matched by server_name only) or ADDRESS
 * @param address the ip:port of an ADDRESS profile, else null
 * @param where   "file:line" of its section, or "modparam" for the built-in defaults
 */
record TlsProfile(boolean server, Scope scope, InetSocketAddress address, String method, String certificate,
                  String privateKey, String caList, boolean verifyCertificate, boolean requireCertificate,
                  String cipherList, String serverName, String where) {

    enum Scope { DEFAULT, ANY, ADDRESS }

    /** "server:default", "client:127.0.0.1:5061", "server:any" as Kamailio's tls.list/tls.info print domains. */
    String name() {
        String type = server ? "server" : "client";
        return switch (scope) {
            case DEFAULT -> type + ":default";
            case ANY -> type + ":any";
            case ADDRESS -> type + ":" + address.getAddress().getHostAddress() + ":" + address.getPort();
        };
    }
}
