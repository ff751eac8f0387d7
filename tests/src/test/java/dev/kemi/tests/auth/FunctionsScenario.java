package dev.kemi.tests.auth;

import static dev.kemi.tests.auth.AuthScenario.DOMAIN;
import static dev.kemi.tests.auth.AuthScenario.line;

import dev.kemi.tests.auth.DigestPeer.Reply;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/** functions.cfg: each of auth's and auth_db's other functions once or twice, outcomes as lines. */
final class FunctionsScenario {
    private FunctionsScenario() {}

    static Map<String, String> run(String localIp, InetSocketAddress proxy) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        String reg = "sip:" + DOMAIN;
        try (DigestPeer p = new DigestPeer(localIp, proxy, DOMAIN)) {
            Reply ch = p.send(p.request("REGISTER", "alice", "alice", null, "X-Fn: pv_www_authenticate"));
            out.put("pv_www_authenticate, no credentials, flags 6", line(ch));
            String n = ch.nonce();
            String good = DigestPeer.credentials("Authorization", "alice", DOMAIN, "alice-pw", n, "REGISTER", reg, "auth", "00000001", null);
            out.put("has_credentials, none", line(p.send(p.request("REGISTER", "alice", "alice", null, "X-Fn: has_credentials"))));
            out.put("has_credentials", line(p.send(p.request("REGISTER", "alice", "alice", null, "X-Fn: has_credentials", good))));
            out.put("pv_www_authenticate", line(p.send(p.request("REGISTER", "alice", "alice", null, "X-Fn: pv_www_authenticate", good))));
            out.put("pv_www_authenticate, wrong password", line(p.send(p.request("REGISTER", "alice", "alice", null, "X-Fn: pv_www_authenticate",
                    DigestPeer.credentials("Authorization", "alice", DOMAIN, "x", n, "REGISTER", reg, "auth", "00000001", null)))));
            out.put("pv_www_authenticate with HA1", line(p.send(p.request("REGISTER", "alice", "alice", null, "X-Fn: pv_www_authenticate_ha1",
                    "X-Ha1: " + DigestPeer.md5("alice:" + DOMAIN + ":alice-pw"), good))));
            out.put("pv_www_authenticate for INVITE, REGISTER digest", line(p.send(p.request("REGISTER", "alice", "alice", null, "X-Fn: pv_www_authenticate_method", good))));
            out.put("pv_www_authenticate for INVITE", line(p.send(p.request("REGISTER", "alice", "alice", null, "X-Fn: pv_www_authenticate_method",
                    DigestPeer.credentials("Authorization", "alice", DOMAIN, "alice-pw", n, "INVITE", reg, "auth", "00000001", null)))));
            out.put("pv_proxy_authenticate, no credentials, flags 10", line(p.send(p.request("INVITE", "alice", "bob", null, "X-Fn: pv_proxy_authenticate"))));
            out.put("pv_proxy_authenticate", line(p.send(p.request("INVITE", "alice", "bob", null, "X-Fn: pv_proxy_authenticate",
                    DigestPeer.credentials("Proxy-Authorization", "alice", DOMAIN, "alice-pw", n, "INVITE", "sip:bob@" + DOMAIN, null, null, null)))));
            out.put("pv_auth_check", line(p.send(p.request("REGISTER", "alice", "alice", null, "X-Fn: pv_auth_check", good))));
            out.put("pv_auth_check, To is another user", line(p.send(p.request("REGISTER", "alice", "bob", null, "X-Fn: pv_auth_check", good))));
            out.put("www_authorize (stored ha1)", line(p.send(p.request("REGISTER", "alice", "alice", null, "X-Fn: www_authorize", good))));
            out.put("www_authorize, user@domain (stored ha1b)", line(p.send(p.request("REGISTER", "alice", "alice", null, "X-Fn: www_authorize",
                    DigestPeer.credentials("Authorization", "alice@" + DOMAIN, DOMAIN, "alice-pw", n, "REGISTER", reg, null, null, null)))));
            out.put("www_authorize, wrong password", line(p.send(p.request("REGISTER", "alice", "alice", null, "X-Fn: www_authorize",
                    DigestPeer.credentials("Authorization", "alice", DOMAIN, "x", n, "REGISTER", reg, null, null, null)))));
            out.put("www_authorize, unknown user", line(p.send(p.request("REGISTER", "zed", "zed", null, "X-Fn: www_authorize",
                    DigestPeer.credentials("Authorization", "zed", DOMAIN, "x", n, "REGISTER", reg, null, null, null)))));
            out.put("proxy_authorize", line(p.send(p.request("INVITE", "alice", "bob", null, "X-Fn: proxy_authorize",
                    DigestPeer.credentials("Proxy-Authorization", "alice", DOMAIN, "alice-pw", n, "INVITE", "sip:bob@" + DOMAIN, null, null, null)))));
            out.put("www_challenge, flags 1", line(p.send(p.request("REGISTER", "alice", "alice", null, "X-Fn: www_challenge"))));
            out.put("proxy_challenge, flags 18", line(p.send(p.request("INVITE", "alice", "bob", null, "X-Fn: proxy_challenge"))));
            out.put("auth_get_www_authenticate, flags 2", line(p.send(p.request("OPTIONS", "alice", "alice", null, "X-Fn: auth_get_www_authenticate"))));
        }
        return out;
    }
}
