package dev.kemi.runtime.modules.tls;

import java.util.List;
import java.util.Map;

/** Kamailio's tls method names and the JDK protocol versions each allows. */
final class TlsMethods {
    private static final List<String> ALL = List.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1");
    private static final Map<String, List<String>> METHODS = Map.of(
            "SSLv23", ALL,
            "TLSv1", List.of("TLSv1"), "TLSv1.0", List.of("TLSv1"),
            "TLSv1+", ALL, "TLSv1.0+", ALL,
            "TLSv1.1", List.of("TLSv1.1"), "TLSv1.1+", List.of("TLSv1.3", "TLSv1.2", "TLSv1.1"),
            "TLSv1.2", List.of("TLSv1.2"), "TLSv1.2+", List.of("TLSv1.3", "TLSv1.2"));

    private TlsMethods() {}

    /** The method name as given when we implement it; otherwise an error naming {@code where}. */
    static String check(String method, String where) {
        if (METHODS.containsKey(method)) return method;
        if (method.equals("SSLv2") || method.equals("SSLv3")) {
            throw new IllegalArgumentException(where + ": tls method " + method + " is not supported (the JDK has no SSLv2/SSLv3)");
        }
        throw new IllegalArgumentException(where + ": invalid tls method '" + method + "'");
    }

    /** JDK protocol names for a checked method. */
    static String[] protocols(String method) {
        return METHODS.get(method).toArray(String[]::new);
    }
}
