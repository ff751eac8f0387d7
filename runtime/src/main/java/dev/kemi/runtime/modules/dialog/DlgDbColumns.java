package dev.kemi.runtime.modules.dialog;

/** Table and column names of the dialog and dialog_vars tables (5.6.3's *_column modparams and defaults). */
final class DlgDbColumns {
    String table = "dialog", varsTable = "dialog_vars";
    String hEntry = "hash_entry", hId = "hash_id", callId = "callid", fromUri = "from_uri", fromTag = "from_tag",
            toUri = "to_uri", toTag = "to_tag", fromCseq = "caller_cseq", toCseq = "callee_cseq",
            fromRoute = "caller_route_set", toRoute = "callee_route_set", fromContact = "caller_contact",
            toContact = "callee_contact", fromSock = "caller_sock", toSock = "callee_sock", state = "state",
            startTime = "start_time", timeout = "timeout", sflags = "sflags", toRouteName = "toroute_name";
    /** No modparam for these in 5.6.3. */
    final String iflags = "iflags", reqUri = "req_uri", xdata = "xdata";
    String varsHEntry = "hash_entry", varsHId = "hash_id", varsKey = "dialog_key", varsValue = "dialog_value";

    /** The name a column modparam gives, checked as the DB layer needs plain identifiers. */
    static String name(String param, String v) {
        if (v == null || !v.matches("[A-Za-z0-9_]+")) throw new IllegalArgumentException("invalid " + param + " '" + v + "'");
        return v;
    }
}
