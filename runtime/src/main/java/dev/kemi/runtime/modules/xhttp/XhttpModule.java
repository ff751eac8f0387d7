package dev.kemi.runtime.modules.xhttp;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.Pv;
import dev.kemi.api.PvExports;
import dev.kemi.api.PvSpec;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.NonSipHandler;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.transport.ReceiveInfo;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.core.StatelessReply;
import dev.kemi.runtime.modules.PosixRegex;
import dev.kemi.runtime.modules.sl.SlModule;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.transport.Destination;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import com.google.re2j.Pattern;
import dev.kemi.runtime.core.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kamailio's xhttp: an HTTP request arriving on a SIP TCP connection runs
 * event_route[xhttp:request] (KEMI: the function named by modparam event_callback, called with
 * "xhttp:request"). As in Kamailio, the request is handed to the script as a SIP-shaped message
 * with a Via of the sender inserted, so $hdr(...), $rm, $si work; $hu is the HTTP URL. Unlike
 * Kamailio, $ru is a placeholder (sip:xhttp.invalid), not the URL.
 */
@Module(value = "xhttp", loadName = "xhttp")
public final class XhttpModule implements RuntimeModule, NonSipHandler, PvExports {
    private static final Logger log = LoggerFactory.getLogger(XhttpModule.class);
    private final RateLimitedLog failures = new RateLimitedLog(log);
    public static final String EVENT = "xhttp:request";
    private Pattern urlMatch;
    private Pattern urlSkip;
    private ProxyServices services;
    private SlModule sl;

    @Param("url_match")
    public void urlMatch(String re) {
        urlMatch = PosixRegex.compile(re, 0);
    }

    @Param("url_skip")
    public void urlSkip(String re) {
        urlSkip = PosixRegex.compile(re, 0);
    }

    /** Read by the KEMI engine (the event callback's name). */
    @Param("event_callback")
    public void eventCallback(String name) {}

    @Override
    public void init(ProxyServices services) {
        this.services = services;
        sl = services.functions().module(SlModule.class);
    }

    @Override
    public boolean onNonSip(byte[] data, ReceiveInfo from) {
        int lf = indexOf(data, (byte) '\n', 0);
        String line = new String(data, 0, lf > 0 && data[lf - 1] == '\r' ? lf - 1 : lf, StandardCharsets.ISO_8859_1);
        String[] parts = line.split(" ");
        if (parts.length != 3) return false;
        HttpRequest req = new HttpRequest(parts[0], parts[1], parts[2]);
        if (urlSkip != null && urlSkip.matcher(req.url()).find()) return false;
        if (urlMatch != null && !urlMatch.matcher(req.url()).find()) return false;
        SipMessage msg;
        try {
            msg = SipMessage.parse(asSip(data, lf, req, from));
        } catch (SipParseException e) {
            log.warn("xhttp: cannot read the HTTP request from {}: {}", from.source(), e.getMessage());
            return true;
        }
        MessageContext ctx = new MessageContext(msg, from, services);
        ctx.routeType(RouteType.EVENT);
        ctx.attach(HttpRequest.class, req);
        try {
            services.script().onEvent(EVENT, ctx);
        } catch (RuntimeException e) {
            failures.error(EVENT, "event_route[" + EVENT + "] failed on '" + line + "' from " + from.source() + ": " + e, e);
        }
        return true;
    }

    /** "METHOD sip:xhttp.invalid SIP/2.0", the sender's Via, then the HTTP headers and body as received. */
    private static byte[] asSip(byte[] data, int lf, HttpRequest req, ReceiveInfo from) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 80);
        out.writeBytes((req.method() + " sip:xhttp.invalid SIP/2.0\r\n" + via(from) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(data, lf + 1, data.length - lf - 1);
        return out.toByteArray();
    }

    private static String via(ReceiveInfo from) {
        String ip = from.source().getAddress().getHostAddress();
        if (ip.indexOf(':') >= 0) ip = "[" + ip + "]";
        return "Via: SIP/2.0/" + from.socket().proto().name() + " " + ip + ":" + from.source().getPort();
    }

    /**
     * KEMI xhttp_reply(code, reason, ctype, body): the HTTP response on the request's connection,
     * with Kamailio's headers (the Via echoed as "Sia", Content-Type, Server, Content-Length).
     * 0 sent, -1 not an xhttp request or not sent: 5.6.3's KEMI entry is the C helper that
     * returns 0 on success (the native wrapper turns it into 1).
     */
    @Export(kemiOnly = true, routes = RouteType.REQUEST | RouteType.EVENT, returns = {0, -1})
    public int xhttp_reply(MessageContext ctx, int code, String reason, String ctype, String body) {
        return reply(ctx, code, reason, ctype, body) ? 0 : -1;
    }

    /** Native xhttp_reply: code 100..700 and a reason required (the wrapper's checks); 1 sent, -1 not. */
    @Export(value = "xhttp_reply_native", natives = "xhttp_reply", nativeOnly = true,
            routes = RouteType.REQUEST | RouteType.EVENT, returns = {1, -1})
    public int xhttpReplyNative(MessageContext ctx, int code, String reason, String ctype, String body) {
        if (code < 100 || code > 700) {
            log.error("xhttp_reply: invalid code parameter");
            return -1;
        }
        if (reason == null || reason.isEmpty()) {
            log.error("xhttp_reply: invalid reason parameter");
            return -1;
        }
        return reply(ctx, code, reason, ctype, body) ? 1 : -1;
    }

    /** Sends the HTTP response (for jsonrpcs too); false when ctx is not an HTTP request or sending failed. */
    public boolean reply(MessageContext ctx, int code, String reason, String ctype, String body) {
        HttpRequest req = ctx.attachment(HttpRequest.class);
        if (req == null) {
            log.error("xhttp_reply: not an HTTP request");
            return false;
        }
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder();
        h.append(req.version().startsWith("HTTP/1.") ? req.version() : "HTTP/1.1").append(' ').append(code).append(' ')
                .append(reason.replaceAll("[\\r\\n]", " ")).append("\r\n");
        h.append("Sia: ").append(via(ctx.received()).substring("Via: ".length())).append("\r\n");
        if (ctype != null && !ctype.isEmpty()) h.append("Content-Type: ").append(ctype).append("\r\n");
        String server = StatelessReply.serverHeader(services);
        if (server != null) h.append(server).append("\r\n");
        h.append("Content-Length: ").append(b.length).append("\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(h.length() + b.length);
        out.writeBytes(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(b);
        ReceiveInfo r = ctx.received();
        Destination to = new Destination(r.socket().proto(), r.source(), r.socket(), true, ctx.replyClose()).overConnection(r.connectionId());
        ctx.markReplied();
        boolean sent = services.sender().send(to, out.toByteArray(), null);
        if (sent && sl != null) sl.countSent(code); // Kamailio's xhttp replies through sl: sl:200_replies counts them
        return sent;
    }

    @Override
    public Set<String> pvNames() {
        return Set.of("hu");
    }

    @Override
    public Pv resolvePv(PvSpec spec) {
        return ctx -> {
            HttpRequest r = ctx instanceof MessageContext m ? m.attachment(HttpRequest.class) : null;
            return r == null ? null : r.url();
        };
    }

    private static int indexOf(byte[] b, byte c, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == c) return i;
        return -1;
    }
}
