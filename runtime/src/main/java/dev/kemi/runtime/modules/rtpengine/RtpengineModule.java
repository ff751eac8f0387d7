package dev.kemi.runtime.modules.rtpengine;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.Pv;
import dev.kemi.api.PvExports;
import dev.kemi.api.PvSpec;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kamailio's rtpengine module: the ng control protocol (bencode over UDP) to one or more sets of
 * rtpengine instances; offer/answer rewrite the SDP with rtpengine's, delete/query/recording and
 * the media controls pass the flags through. Names, arities and return codes of 5.6.3.
 */
@Module(value = "rtpengine", loadName = "rtpengine")
public final class RtpengineModule implements RuntimeModule, PvExports {

    private static final Logger LOG = LoggerFactory.getLogger(RtpengineModule.class);

    /** The set chosen by set_rtpengine_set for the current message. */
    private record SelectedSet(EngineSets.EngineSet set) { }

    private final EngineSets sets = new EngineSets();
    private final NgClient client = new NgClient();
    private final Balancer balancer = new Balancer(client);
    private final NgCall ng = new NgCall(client, balancer);
    private final MediaOps ops = new MediaOps(ng);
    private int setidDefault;

    // ---- modparams

    @Param("rtpengine_sock")
    public void rtpengineSock(String value) {
        sets.store(value);
    }

    @Param("rtpengine_disable_tout")
    public void rtpengineDisableTout(int seconds) {
        balancer.disableSeconds = seconds;
    }

    @Param("aggressive_redetection")
    public void aggressiveRedetection(int on) {
        balancer.aggressiveRedetection = on != 0;
    }

    @Param("rtpengine_retr")
    public void rtpengineRetr(int tries) {
        client.retries = tries;
    }

    @Param("rtpengine_tout_ms")
    public void rtpengineToutMs(int millis) {
        client.timeoutMillis = millis;
    }

    @Param("queried_nodes_limit")
    public void queriedNodesLimit(int limit) {
        if (limit < 0 || limit > 30) {
            throw new IllegalArgumentException("rtpengine: queried_nodes_limit must be 0..30");
        }
        ng.queriedNodesLimit = limit;
    }

    @Param("rtpengine_allow_op")
    public void rtpengineAllowOp(int mode) {
        balancer.allowOp = mode;
    }

    @Param("hash_table_tout")
    public void hashTableTout(int seconds) {
        balancer.hashTableSeconds = seconds;
    }

    @Param("setid_default")
    public void setidDefault(int id) {
        setidDefault = id;
    }

    @Override
    public void init(ProxyServices services) {
        sets.build(setidDefault);
        if (sets.get(setidDefault) == null && !sets.allNodes().isEmpty()) {
            LOG.warn("rtpengine: no set {} (setid_default) defined", setidDefault);
        }
        // Kamailio probes every instance once at start (in its first worker)
        for (EngineNode node : sets.allNodes()) {
            node.disabled = balancer.test(node, false, true);
        }
    }

    @Override
    public void shutdown() {
        client.close();
    }

    // ---- offer / answer / delete / manage / query

    @Export(value = "rtpengine_offer0", natives = "rtpengine_offer", returns = {1, -1})
    public int rtpengineOffer0(MessageContext ctx) {
        return ops.offerAnswer(ctx, set(ctx), Op.OFFER, null);
    }

    @Export(value = "rtpengine_offer", natives = "rtpengine_offer", returns = {1, -1})
    public int rtpengineOffer(MessageContext ctx, String flags) {
        return ops.offerAnswer(ctx, set(ctx), Op.OFFER, flags);
    }

    /** KEMI: no check of the method (as in 5.6.3). */
    @Export(value = "rtpengine_answer0", kemiOnly = true, returns = {1, -1})
    public int rtpengineAnswer0(MessageContext ctx) {
        return ops.offerAnswer(ctx, set(ctx), Op.ANSWER, null);
    }

    @Export(value = "rtpengine_answer", kemiOnly = true, returns = {1, -1})
    public int rtpengineAnswer(MessageContext ctx, String flags) {
        return ops.offerAnswer(ctx, set(ctx), Op.ANSWER, flags);
    }

    /** Native: in a request, only ACK and PRACK carry an answer. */
    @Export(natives = "rtpengine_answer", nativeOnly = true, returns = {1, -1})
    public int rtpengineAnswerNative0(MessageContext ctx) {
        return answerNative(ctx, null);
    }

    @Export(natives = "rtpengine_answer", nativeOnly = true, returns = {1, -1})
    public int rtpengineAnswerNative(MessageContext ctx, String flags) {
        return answerNative(ctx, flags);
    }

    private int answerNative(MessageContext ctx, String flags) {
        String method = ctx.msg().method();
        if (ctx.msg().isRequest() && !"ACK".equals(method) && !"PRACK".equals(method)) {
            return -1;
        }
        return ops.offerAnswer(ctx, set(ctx), Op.ANSWER, flags);
    }

    @Export(value = "rtpengine_delete0", natives = "rtpengine_delete", returns = {1, -1})
    public int rtpengineDelete0(MessageContext ctx) {
        return ops.simple(ctx, set(ctx), Op.DELETE, null);
    }

    @Export(value = "rtpengine_delete", natives = "rtpengine_delete", returns = {1, -1})
    public int rtpengineDelete(MessageContext ctx, String flags) {
        return ops.simple(ctx, set(ctx), Op.DELETE, flags);
    }

    @Export(value = "rtpengine_manage0", natives = "rtpengine_manage", returns = {1, -1})
    public int rtpengineManage0(MessageContext ctx) {
        return ops.manage(ctx, set(ctx), null);
    }

    @Export(value = "rtpengine_manage", natives = "rtpengine_manage", returns = {1, -1})
    public int rtpengineManage(MessageContext ctx, String flags) {
        return ops.manage(ctx, set(ctx), flags == null || flags.isEmpty() ? null : flags);
    }

    @Export(value = "rtpengine_query0", natives = "rtpengine_query", returns = {1, -1})
    public int rtpengineQuery0(MessageContext ctx) {
        return ops.simple(ctx, set(ctx), Op.QUERY, null);
    }

    @Export(value = "rtpengine_query", natives = "rtpengine_query", returns = {1, -1})
    public int rtpengineQuery(MessageContext ctx, String flags) {
        return ops.simple(ctx, set(ctx), Op.QUERY, flags);
    }

    /** rtpengine_info: an offer whose reply only has to be "ok" (the SDP is left alone). */
    @Export(natives = "rtpengine_info", nativeOnly = true, returns = {1, -1})
    public int rtpengineInfo0(MessageContext ctx) {
        return ops.simple(ctx, set(ctx), Op.OFFER, null);
    }

    @Export(natives = "rtpengine_info", nativeOnly = true, returns = {1, -1})
    public int rtpengineInfo(MessageContext ctx, String flags) {
        return ops.simple(ctx, set(ctx), Op.OFFER, flags);
    }

    // ---- recording and media controls: the command and the flags, "ok" expected

    @Export(value = "start_recording", natives = "start_recording", returns = {1, -1})
    public int startRecording0(MessageContext ctx) {
        return ops.simple(ctx, set(ctx), Op.START_RECORDING, null);
    }

    @Export(natives = "start_recording", nativeOnly = true, returns = {1, -1})
    public int startRecording(MessageContext ctx, String flags) {
        return ops.simple(ctx, set(ctx), Op.START_RECORDING, flags);
    }

    @Export(value = "stop_recording", natives = "stop_recording", returns = {1, -1})
    public int stopRecording0(MessageContext ctx) {
        return ops.simple(ctx, set(ctx), Op.STOP_RECORDING, null);
    }

    @Export(natives = "stop_recording", nativeOnly = true, returns = {1, -1})
    public int stopRecording(MessageContext ctx, String flags) {
        return ops.simple(ctx, set(ctx), Op.STOP_RECORDING, flags);
    }

    @Export(value = "block_media0", natives = "block_media", returns = {1, -1})
    public int blockMedia0(MessageContext ctx) {
        return ops.simple(ctx, set(ctx), Op.BLOCK_MEDIA, null);
    }

    @Export(value = "block_media", natives = "block_media", returns = {1, -1})
    public int blockMedia(MessageContext ctx, String flags) {
        return ops.simple(ctx, set(ctx), Op.BLOCK_MEDIA, flags);
    }

    @Export(value = "unblock_media0", natives = "unblock_media", returns = {1, -1})
    public int unblockMedia0(MessageContext ctx) {
        return ops.simple(ctx, set(ctx), Op.UNBLOCK_MEDIA, null);
    }

    @Export(value = "unblock_media", natives = "unblock_media", returns = {1, -1})
    public int unblockMedia(MessageContext ctx, String flags) {
        return ops.simple(ctx, set(ctx), Op.UNBLOCK_MEDIA, flags);
    }

    @Export(value = "silence_media0", natives = "silence_media", returns = {1, -1})
    public int silenceMedia0(MessageContext ctx) {
        return ops.simple(ctx, set(ctx), Op.SILENCE_MEDIA, null);
    }

    @Export(value = "silence_media", natives = "silence_media", returns = {1, -1})
    public int silenceMedia(MessageContext ctx, String flags) {
        return ops.simple(ctx, set(ctx), Op.SILENCE_MEDIA, flags);
    }

    @Export(value = "unsilence_media0", natives = "unsilence_media", returns = {1, -1})
    public int unsilenceMedia0(MessageContext ctx) {
        return ops.simple(ctx, set(ctx), Op.UNSILENCE_MEDIA, null);
    }

    @Export(value = "unsilence_media", natives = "unsilence_media", returns = {1, -1})
    public int unsilenceMedia(MessageContext ctx, String flags) {
        return ops.simple(ctx, set(ctx), Op.UNSILENCE_MEDIA, flags);
    }

    @Export(value = "block_dtmf0", natives = "block_dtmf", returns = {1, -1})
    public int blockDtmf0(MessageContext ctx) {
        return ops.simple(ctx, set(ctx), Op.BLOCK_DTMF, null);
    }

    @Export(value = "block_dtmf", natives = "block_dtmf", returns = {1, -1})
    public int blockDtmf(MessageContext ctx, String flags) {
        return ops.simple(ctx, set(ctx), Op.BLOCK_DTMF, flags);
    }

    @Export(value = "unblock_dtmf0", natives = "unblock_dtmf", returns = {1, -1})
    public int unblockDtmf0(MessageContext ctx) {
        return ops.simple(ctx, set(ctx), Op.UNBLOCK_DTMF, null);
    }

    @Export(value = "unblock_dtmf", natives = "unblock_dtmf", returns = {1, -1})
    public int unblockDtmf(MessageContext ctx, String flags) {
        return ops.simple(ctx, set(ctx), Op.UNBLOCK_DTMF, flags);
    }

    @Export(natives = "start_forwarding", nativeOnly = true, returns = {1, -1})
    public int startForwarding0(MessageContext ctx) {
        return ops.simple(ctx, set(ctx), Op.START_FORWARDING, null);
    }

    @Export(natives = "start_forwarding", nativeOnly = true, returns = {1, -1})
    public int startForwarding(MessageContext ctx, String flags) {
        return ops.simple(ctx, set(ctx), Op.START_FORWARDING, flags);
    }

    @Export(natives = "stop_forwarding", nativeOnly = true, returns = {1, -1})
    public int stopForwarding0(MessageContext ctx) {
        return ops.simple(ctx, set(ctx), Op.STOP_FORWARDING, null);
    }

    @Export(natives = "stop_forwarding", nativeOnly = true, returns = {1, -1})
    public int stopForwarding(MessageContext ctx, String flags) {
        return ops.simple(ctx, set(ctx), Op.STOP_FORWARDING, flags);
    }

    @Export(value = "play_media", natives = "play_media", returns = {1, -1})
    public int playMedia(MessageContext ctx, String flags) {
        return ops.simple(ctx, set(ctx), Op.PLAY_MEDIA, flags);
    }

    @Export(value = "stop_media0", natives = "stop_media", returns = {1, -1})
    public int stopMedia0(MessageContext ctx) {
        return ops.simple(ctx, set(ctx), Op.STOP_MEDIA, null);
    }

    @Export(value = "stop_media", natives = "stop_media", returns = {1, -1})
    public int stopMedia(MessageContext ctx, String flags) {
        return ops.simple(ctx, set(ctx), Op.STOP_MEDIA, flags);
    }

    @Export(natives = "play_dtmf", nativeOnly = true, returns = {1, -1})
    public int playDtmf(MessageContext ctx, String flags) {
        return ops.simple(ctx, set(ctx), Op.PLAY_DTMF, flags);
    }

    // ---- sets

    @Export(value = "set_rtpengine_set", natives = "set_rtpengine_set", returns = {1, -1})
    public int setRtpengineSet(MessageContext ctx, int id) {
        EngineSets.EngineSet set = id < 0 ? null : sets.get(id);
        if (set == null) {
            LOG.error("rtpp_proxy set {} not configured", id);
            return -1;
        }
        ctx.attach(SelectedSet.class, new SelectedSet(set));
        return 1;
    }

    private EngineSets.EngineSet set(MessageContext ctx) {
        SelectedSet chosen = ctx.attachment(SelectedSet.class);
        return chosen != null ? chosen.set() : sets.get(setidDefault);
    }

    // ---- $rtpstat / $rtpestat

    @Override
    public Set<String> pvNames() {
        return Set.of("rtpstat", "rtpestat");
    }

    @Override
    public Pv resolvePv(PvSpec spec) {
        return c -> ops.rtpstat((MessageContext) c, set((MessageContext) c));
    }
}
