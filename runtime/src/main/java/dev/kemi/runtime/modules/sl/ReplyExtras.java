package dev.kemi.runtime.modules.sl;

import dev.kemi.runtime.core.MessageContext;
import java.util.ArrayList;
import java.util.List;

/**
 * What the script asked to put into locally generated replies to this request
 * (append_to_reply, set_reply_body): Kamailio's reply lumps. sl and tm both read it.
 */
public final class ReplyExtras {
    /** Header lines without CRLF, in order. */
    public final List<String> headers = new ArrayList<>(2);
    /** Body, or null; with its Content-Type (null = none given). */
    public byte[] body;
    public String contentType;

    public static ReplyExtras of(MessageContext ctx) {
        return ctx.attachment(ReplyExtras.class, ReplyExtras::new);
    }

    /** Null if the script added nothing. */
    public static ReplyExtras peek(MessageContext ctx) {
        return ctx.attachment(ReplyExtras.class);
    }

    /** Adds header text, which may hold several CRLF-separated lines; blank lines ignored. */
    public void addHeaderText(String text) {
        for (String line : text.split("\r\n|\n")) {
            if (!line.isBlank()) headers.add(line);
        }
    }
}
