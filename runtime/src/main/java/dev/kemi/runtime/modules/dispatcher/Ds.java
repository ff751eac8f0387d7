package dev.kemi.runtime.modules.dispatcher;

/** Kamailio's dispatcher constants (dispatch.h of 5.6.3). */
final class Ds {
    private Ds() {}

    // destination state flags
    static final int INACTIVE = 1, TRYING = 2, DISABLED = 4, PROBING = 8, NODNSARES = 16, STATES_ALL = 31;
    // ds_probing_mode
    static final int PROBE_NONE = 0, PROBE_ALL = 1, PROBE_INACTIVE = 2, PROBE_ONLYFLAGGED = 3;
    // ds_is_from_list modes
    static final int MATCH_NOPORT = 1, MATCH_NOPROTO = 2, MATCH_ACTIVE = 4;
    // where a selected address goes
    static final int SETOP_DSTURI = 0, SETOP_RURI = 1, SETOP_XAVP = 2;
    // modparam flags
    static final int HASH_USER_ONLY = 1, FAILOVER_ON = 2;
    // xavp_dst_mode / xavp_ctx_mode
    static final int XAVP_DST_SKIP_ATTRS = 1, XAVP_CTX_SKIP_CNT = 1;

    /** The two letters dispatcher.list shows for a state: A/I/D/T, then P or X. */
    static String stateLetters(int flags) {
        char a = (flags & INACTIVE) != 0 ? 'I' : (flags & DISABLED) != 0 ? 'D' : (flags & TRYING) != 0 ? 'T' : 'A';
        return "" + a + ((flags & PROBING) != 0 ? 'P' : 'X');
    }

    /** ds_parse_flags (ds_mark_dst's argument): a resets, i d t p add; -1 for anything else. */
    static int parseStateLetters(String s) {
        int flag = 0;
        for (char c : s.toCharArray()) {
            switch (Character.toLowerCase(c)) {
                case 'a' -> flag &= ~STATES_ALL;
                case 'i' -> flag |= INACTIVE;
                case 'd' -> flag |= DISABLED;
                case 't' -> flag |= TRYING;
                case 'p' -> flag |= PROBING;
                default -> {
                    return -1;
                }
            }
        }
        return flag;
    }
}
