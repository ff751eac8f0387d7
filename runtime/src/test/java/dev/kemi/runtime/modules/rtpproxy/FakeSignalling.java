package dev.kemi.runtime.modules.rtpproxy;

import dev.kemi.api.RouteType;

/** A SIP message reduced to what the rtpproxy functions use. */
final class FakeSignalling implements Signalling {
    boolean request = true;
    String method = "INVITE";
    int status;
    String callId = "call-1@example";
    String fromTag = "ftag";
    String toTag;
    String via1 = "z9hG4bK-one";
    String via2 = "z9hG4bK-two";
    long cseq = 1;
    String sourceIp = "10.0.0.5";
    boolean sourceV6;
    String localIp = "10.0.0.1";
    String body;
    String contentType = "application/sdp";
    String extraId;
    int routeType = RouteType.REQUEST;

    static FakeSignalling invite(String sdp) {
        FakeSignalling m = new FakeSignalling();
        m.body = sdp;
        return m;
    }

    /** The reply to this request with {@code code}, a to-tag and the given body. */
    FakeSignalling reply(int code, String sdp) {
        FakeSignalling r = new FakeSignalling();
        r.request = false;
        r.method = method;
        r.status = code;
        r.callId = callId;
        r.fromTag = fromTag;
        r.toTag = toTag == null ? "ttag" : toTag;
        r.cseq = cseq;
        r.sourceIp = "10.0.0.9";
        r.localIp = localIp;
        r.body = sdp;
        r.routeType = RouteType.TM_ONREPLY;
        return r;
    }

    @Override public boolean isRequest() { return request; }
    @Override public String method() { return method; }
    @Override public int status() { return status; }
    @Override public String callId() { return callId; }
    @Override public String fromTag() { return fromTag; }
    @Override public String toTag() { return toTag; }
    @Override public String viaBranch(int n) { return n == 1 ? via1 : n == 2 ? via2 : null; }
    @Override public long cseqNumber() { return cseq; }
    @Override public String sourceIp() { return sourceIp; }
    @Override public boolean sourceIsIpv6() { return sourceV6; }
    @Override public String localIp() { return localIp; }
    @Override public String body() { return body; }
    @Override public String contentType() { return contentType; }
    @Override public void replaceBody(String newBody) { body = newBody; }
    @Override public String extraId() { return extraId; }
    @Override public int routeType() { return routeType; }
}
