package dev.kemi.runtime.modules.rtpproxy;

import dev.kemi.runtime.core.Failures;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.Via;
import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/** {@link Signalling} over the proxy's message context. */
final class MessageSignalling implements Signalling {

    private final MessageContext ctx;
    private final SipMessage msg;
    private final Function<MessageContext, String> extraId;

    MessageSignalling(MessageContext ctx, Function<MessageContext, String> extraId) {
        this.ctx = ctx;
        this.msg = ctx.msg();
        this.extraId = extraId;
    }

    @Override
    public boolean isRequest() {
        return msg.isRequest();
    }

    @Override
    public String method() {
        return msg.method();
    }

    @Override
    public int status() {
        return msg.status();
    }

    @Override
    public String callId() {
        return msg.callId();
    }

    @Override
    public String fromTag() {
        return tag(true);
    }

    @Override
    public String toTag() {
        return tag(false);
    }

    private String tag(boolean from) {
        try {
            NameAddr a = from ? msg.from() : msg.to();
            return a == null ? null : a.tag();
        } catch (SipParseException e) {
            return null;
        }
    }

    @Override
    public String viaBranch(int n) {
        try {
            List<Via> vias = msg.vias();
            return vias.size() < n ? null : vias.get(n - 1).branch();
        } catch (SipParseException e) {
            return null;
        }
    }

    @Override
    public long cseqNumber() {
        try {
            return msg.cseq().value();
        } catch (SipParseException | RuntimeException e) {
            Failures.handled("rtpproxy: cseqNumber", e);
            return -1;
        }
    }

    @Override
    public String sourceIp() {
        return NetUtil.toAddressString(ctx.received().source().getAddress());
    }

    @Override
    public boolean sourceIsIpv6() {
        return ctx.received().source().getAddress() instanceof Inet6Address;
    }

    @Override
    public String localIp() {
        return NetUtil.toAddressString(ctx.received().socket().address().getAddress());
    }

    @Override
    public String body() {
        byte[] b = msg.body();
        return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String contentType() {
        return msg.contentType();
    }

    @Override
    public void replaceBody(String body) {
        msg.setBody(body.getBytes(StandardCharsets.ISO_8859_1), null);
    }

    @Override
    public String extraId() {
        return extraId.apply(ctx);
    }

    @Override
    public int routeType() {
        return ctx.routeType();
    }
}
