package dev.kemi.runtime.modules;

import dev.kemi.runtime.sip.Header;
import dev.kemi.runtime.sip.SipMessage;
import java.util.List;

/** Header lookups and edits on the received header list shared by the text modules. */
public final class HeaderEdits {
    private HeaderEdits() {}

    /** Header fields whose canonical name matches (compact forms included), in order. */
    public static List<Header> named(SipMessage msg, String name) {
        return msg.headerFields(name);
    }

    /**
     * Replaces one field in place: the new line goes where the old one was. Works on the first
     * field of its name (the only case the modules need: Max-Forwards, Route).
     */
    public static void replaceFirst(SipMessage msg, Header h, String newLine) {
        msg.insertHeaderBefore(newLine, h.name());
        msg.removeHeader(h);
    }

    /** "Name: value" + CRLF unless already terminated. */
    public static String line(String text) {
        return text.endsWith("\r\n") ? text : text.endsWith("\n") ? text.substring(0, text.length() - 1) + "\r\n" : text + "\r\n";
    }
}
