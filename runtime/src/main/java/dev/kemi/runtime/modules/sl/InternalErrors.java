package dev.kemi.runtime.modules.sl;

import dev.kemi.runtime.core.MessageContext;

/**
 * Kamailio's internal error codes (core/error.h), the reply they turn into (err2reason_phrase)
 * and the last one recorded for a message (Kamailio's ser_error), which native
 * {@code sl_reply_error()} answers with. tm and core forwarding record their failures here.
 */
public final class InternalErrors {
    public static final int E_OK = 0;
    public static final int E_UNSPEC = -1;
    public static final int E_OUT_OF_MEM = -2;
    public static final int E_CFG = -6;
    public static final int E_NO_SOCKET = -7;
    public static final int E_BAD_TUPEL = -9;
    public static final int E_SCRIPT = -10;
    public static final int E_EXEC = -11;
    public static final int E_TOO_MANY_BRANCHES = -12;
    public static final int E_BAD_TO = -13;
    public static final int E_Q_INV_CHAR = -15;
    public static final int E_Q_EMPTY = -16;
    public static final int E_Q_TOO_BIG = -17;
    public static final int E_Q_DEC_MISSING = -18;
    public static final int E_BAD_REQ = -400;
    public static final int E_SEND = -477;
    public static final int E_BAD_ADDRESS = -478;
    public static final int E_BAD_URI = -479;
    public static final int E_CANCELED = -487;

    /** The per-message record (an attachment; only created when something fails). */
    private static final class Last {
        int error = E_UNSPEC;
    }

    private InternalErrors() {}

    /** Records the internal error of a failed operation on this message. */
    public static void record(MessageContext ctx, int error) {
        ctx.attachment(Last.class, Last::new).error = error;
    }

    /** The last recorded error; E_UNSPEC (Kamailio's initial ser_error) if none. */
    public static int last(MessageContext ctx) {
        Last l = ctx.attachment(Last.class);
        return l == null ? E_UNSPEC : l.error;
    }

    /** The SIP code err2reason_phrase() turns an internal error into. */
    public static int sipCode(int err) {
        return switch (err) {
            case E_SEND, E_BAD_ADDRESS, E_BAD_REQ, E_BAD_URI, E_CANCELED -> -err;
            case E_BAD_TUPEL, E_BAD_TO, E_Q_INV_CHAR, E_Q_EMPTY, E_Q_TOO_BIG, E_Q_DEC_MISSING -> 400;
            default -> 500;
        };
    }

    /** The reason phrase err2reason_phrase() builds: text, then "(code/signature)". */
    public static String reason(int err, String signature) {
        String text = switch (err) {
            case E_SEND -> "Unfortunately error on sending to next hop occurred";
            case E_BAD_ADDRESS -> "Unresolvable destination";
            case E_BAD_REQ -> "Bad Request";
            case E_BAD_URI -> "Regretfully, we were not able to process the URI";
            case E_BAD_TUPEL -> "Transaction tuple incomplete";
            case E_BAD_TO -> "Bad To";
            case E_EXEC -> "Error in external logic";
            case E_TOO_MANY_BRANCHES -> "Forking capacity exceeded";
            case E_Q_INV_CHAR -> "Invalid character in q parameter";
            case E_Q_EMPTY -> "Empty q parameter";
            case E_Q_TOO_BIG -> "Q parameter too big";
            case E_Q_DEC_MISSING -> "Decimal part missing in q";
            case E_CANCELED -> "Transaction canceled";
            case E_OUT_OF_MEM -> "Internal processing error";
            case E_OK -> "No error";
            default -> "I'm terribly sorry, server error occurred";
        };
        return text + " (" + (-err) + "/" + signature + ")";
    }
}
