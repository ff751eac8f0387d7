package dev.kemi.runtime.modules.registrar;

import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** extract_aor: the usrloc key of a URI (user, or user@host with use_domain), lower-cased as Kamailio does. */
final class Aor {
    private Aor() {}

    static String of(String uriText, boolean useDomain, RegConfig cfg) throws RegError.Failure {
        SipUri u;
        try {
            u = SipUri.parse(uriText);
        } catch (SipParseException e) {
            throw new RegError.Failure(RegError.AOR_PARSE);
        }
        String user = u.user() == null ? "" : u.user();
        String host = u.host() == null ? "" : u.host();
        if (user.length() + host.length() + 1 > 512 || user.length() > 64 || host.length() > 128) {
            throw new RegError.Failure(RegError.AOR_LEN);
        }
        String aor = unescape(user);
        int userLen = aor.length();
        if (useDomain) {
            String h = host;
            if (!cfg.realmPrefix.isEmpty() && cfg.realmPrefix.length() < h.length() && h.startsWith(cfg.realmPrefix)) {
                h = h.substring(cfg.realmPrefix.length());
            }
            aor = userLen > 0 ? aor + "@" + h : h;
        }
        if (cfg.caseSensitive && userLen > 0) {
            return aor.substring(0, Math.min(aor.length(), userLen + 1)) + aor.substring(Math.min(aor.length(), userLen + 1)).toLowerCase(Locale.ROOT);
        }
        return aor.toLowerCase(Locale.ROOT);
    }

    private static String unescape(String s) throws RegError.Failure {
        if (s.indexOf('%') < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) throw new RegError.Failure(RegError.UNESCAPE);
                int hi = Character.digit(s.charAt(i + 1), 16), lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) throw new RegError.Failure(RegError.UNESCAPE);
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
