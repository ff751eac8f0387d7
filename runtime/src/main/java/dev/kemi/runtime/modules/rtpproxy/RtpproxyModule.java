package dev.kemi.runtime.modules.rtpproxy;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.PvProvider;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.modules.pv.PvModule;
import dev.kemi.runtime.modules.pv.PvFormat;
import dev.kemi.runtime.modules.pv.StandardPvs;
import dev.kemi.runtime.rtpproxy.RtpProxyArgs;
import dev.kemi.runtime.rtpproxy.RtpProxyOptions;
import dev.kemi.runtime.rtpproxy.RtpProxyServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kamailio's rtpproxy module: drives rtpproxy-protocol relays (ours, rtpproxy, rtpengine) and
 * rewrites SDP. Native functions with their optional arguments, KEMI names of 5.6.3.
 */
@Module(value = "rtpproxy", loadName = "rtpproxy")
public final class RtpproxyModule implements RuntimeModule {

    private static final Logger LOG = LoggerFactory.getLogger(RtpproxyModule.class);

    /** The set chosen by set_rtp_proxy_set for the current message. */
    private record SelectedSet(RtpproxySets.NodeSet set) { }

    private final RtpproxySets sets = new RtpproxySets();
    private final ControlClient client = new ControlClient();
    private final NodeSelector selector = new NodeSelector(client);
    private final MediaCommands commands = new MediaCommands(client, selector);
    private String extraIdFormat;
    private RtpProxyOptions relayOptions;
    private boolean relayPortsInOrder;
    private RtpProxyServer relay;
    private volatile PvFormat extraId;

    // ---- modparams

    @Param("rtpproxy_sock")
    public void rtpproxySock(String value) {
        sets.add(value);
    }

    @Param("rtpproxy_tout")
    public void rtpproxyTout(int seconds) {
        client.timeoutSeconds = seconds;
    }

    @Param("rtpproxy_retr")
    public void rtpproxyRetr(int tries) {
        client.retries = tries;
    }

    @Param("rtpproxy_disable_tout")
    public void rtpproxyDisableTout(int seconds) {
        client.disableSeconds = seconds;
    }

    @Param("nortpproxy_str")
    public void nortpproxyStr(String value) {
        String v = value == null ? "" : value;
        int end = v.length();
        while (end > 0 && (v.charAt(end - 1) == '\r' || v.charAt(end - 1) == '\n')) {
            end--;
        }
        commands.marker = v.substring(0, end);
    }

    @Param("extra_id_pv")
    public void extraIdPv(String format) {
        extraIdFormat = format == null || format.isEmpty() ? null : format;
    }

    @Param("timeout_socket")
    public void timeoutSocket(String socket) {
        commands.timeoutSocket = socket == null ? "" : socket;
    }

    /**
     * Kemi extension: start the built-in relay with rtpproxy-style arguments (those of
     * {@code kemi rtpproxy}, e.g. {@code "-l 127.0.0.1 -s udp:127.0.0.1:22222"}) before the
     * handshake; point rtpproxy_sock at its control socket.
     */
    @Param("relay")
    public void relay(String args) {
        String text = args == null ? "" : args.strip();
        relayOptions = text.isEmpty() ? null : RtpProxyArgs.parse(text.split("\\s+"));
    }

    /**
     * Makes the built-in relay hand out media ports from the bottom of its range, in order, so that
     * every run of the same calls gets the same ports (and SDP): for kemi compare. Before init.
     */
    public void relayPortsInOrder() {
        relayPortsInOrder = true;
    }

    /** The built-in relay started by modparam "relay", or null. */
    public RtpProxyServer embeddedRelay() {
        return relay;
    }

    /**
     * Pseudo-variables for printing modparam extra_id_pv; without a call the standard ones are used.
     *
     * @throws IllegalArgumentException when the format names an unknown variable
     */
    public void usePvProvider(PvProvider provider) {
        if (extraIdFormat != null) {
            extraId = new PvFormat(extraIdFormat, provider);
        }
    }

    /** Handshake with every relay, as each Kamailio process does at start. */
    @Override
    public void init(ProxyServices services) {
        if (relayOptions != null && relay == null) {
            RtpProxyServer server = new RtpProxyServer(relayOptions, !relayPortsInOrder);
            try {
                server.start();
            } catch (java.io.IOException e) {
                throw new IllegalStateException("rtpproxy: cannot start the built-in relay: " + e.getMessage(), e);
            }
            relay = server;
        }
        if (extraIdFormat != null && extraId == null) {
            // the proxy's own pseudo-variables, so $var/$shv in the format are this proxy's
            usePvProvider(services.optionalApi(PvModule.class).map(PvModule::provider).orElseGet(StandardPvs::new));
        }
        for (RtpproxyNode node : sets.allNodes()) {
            node.disabled = selector.test(node, node.disabled, true);
        }
    }

    /** Stops the built-in relay (freeing its control port for the next instance) and the control sockets. */
    @Override
    public void shutdown() {
        client.close();
        if (relay != null) {
            relay.stop();
            relay = null;
        }
    }

    // ---- manage

    @Export(value = "rtpproxy_manage0", natives = "rtpproxy_manage", returns = {1, -1})
    public int rtpproxyManage0(MessageContext ctx) {
        return commands.manage(view(ctx), set(ctx), null, null);
    }

    @Export(value = "rtpproxy_manage", natives = "rtpproxy_manage", returns = {1, -1})
    public int rtpproxyManage(MessageContext ctx, String flags) {
        return commands.manage(view(ctx), set(ctx), emptyToNull(flags), null);
    }

    @Export(value = "rtpproxy_manage_ip", natives = "rtpproxy_manage", returns = {1, -1})
    public int rtpproxyManageIp(MessageContext ctx, String flags, String ip) {
        return commands.manage(view(ctx), set(ctx), emptyToNull(flags), emptyToNull(ip));
    }

    // ---- offer

    @Export(value = "rtpproxy_offer0", natives = "rtpproxy_offer", returns = {1, -1})
    public int rtpproxyOffer0(MessageContext ctx) {
        return offer(ctx, null);
    }

    @Export(value = "rtpproxy_offer", natives = "rtpproxy_offer", returns = {1, -1})
    public int rtpproxyOffer(MessageContext ctx, String flags) {
        return offer(ctx, emptyToNull(flags));
    }

    @Export(value = "rtpproxy_offer_ip", natives = "rtpproxy_offer", returns = {1, -1})
    public int rtpproxyOfferIp(MessageContext ctx, String flags, String ip) {
        return commands.offerAnswer(view(ctx), set(ctx), flags, ip, true, true);
    }

    private int offer(MessageContext ctx, String flags) {
        Signalling m = view(ctx);
        return commands.offerAnswer(m, set(ctx), flags, m.localIp(), true, false);
    }

    // ---- answer (native: only replies and ACK)

    @Export(value = "rtpproxy_answer0", natives = "rtpproxy_answer", returns = {1, -1})
    public int rtpproxyAnswer0(MessageContext ctx) {
        return answer(ctx, null);
    }

    @Export(value = "rtpproxy_answer", natives = "rtpproxy_answer", returns = {1, -1})
    public int rtpproxyAnswer(MessageContext ctx, String flags) {
        return answer(ctx, emptyToNull(flags));
    }

    /** Native rtpproxy_answer(flags, ip): replies and ACK only. */
    @Export(natives = "rtpproxy_answer", nativeOnly = true, returns = {1, -1})
    public int rtpproxyAnswerIpNative(MessageContext ctx, String flags, String ip) {
        Signalling m = view(ctx);
        if (m.isRequest() && !"ACK".equals(m.method())) {
            return -1;
        }
        return commands.offerAnswer(m, set(ctx), flags, ip, false, true);
    }

    /** KEMI rtpproxy_answer_ip: unlike the native form, not limited to replies and ACK (as in 5.6.3). */
    @Export(value = "rtpproxy_answer_ip", kemiOnly = true, returns = {1, -1})
    public int rtpproxyAnswerIp(MessageContext ctx, String flags, String ip) {
        return commands.offerAnswer(view(ctx), set(ctx), flags, ip, false, true);
    }

    private int answer(MessageContext ctx, String flags) {
        Signalling m = view(ctx);
        if (m.isRequest() && !"ACK".equals(m.method())) {
            return -1;
        }
        return commands.offerAnswer(m, set(ctx), flags, m.localIp(), false, false);
    }

    // ---- destroy

    @Export(value = "rtpproxy_destroy0", natives = {"rtpproxy_destroy", "unforce_rtp_proxy"}, returns = {1, -1})
    public int rtpproxyDestroy0(MessageContext ctx) {
        return commands.destroy(view(ctx), set(ctx), null);
    }

    @Export(value = "rtpproxy_destroy", natives = {"rtpproxy_destroy", "unforce_rtp_proxy"}, returns = {1, -1})
    public int rtpproxyDestroy(MessageContext ctx, String flags) {
        return commands.destroy(view(ctx), set(ctx), emptyToNull(flags));
    }

    // ---- sets, recording, prompts

    @Export(value = "set_rtpproxy_set", natives = "set_rtp_proxy_set", returns = {1, -1})
    public int setRtpproxySet(MessageContext ctx, int id) {
        RtpproxySets.NodeSet set = sets.get(id);
        if (set == null) {
            LOG.error("could not locate rtpproxy set {}", id);
            return -1;
        }
        ctx.attach(SelectedSet.class, new SelectedSet(set));
        return 1;
    }

    @Export(value = "start_recording", returns = {1, -1})
    public int startRecording(MessageContext ctx) {
        return commands.startRecording(view(ctx), set(ctx));
    }

    @Export(value = "rtpproxy_stream2uac", returns = {1, -1})
    public int rtpproxyStream2uac(MessageContext ctx, String prompt, int count) {
        return commands.playPrompt(view(ctx), set(ctx), prompt, count, true);
    }

    @Export(value = "rtpproxy_stream2uas", returns = {1, -1})
    public int rtpproxyStream2uas(MessageContext ctx, String prompt, int count) {
        return commands.playPrompt(view(ctx), set(ctx), prompt, count, false);
    }

    @Export(value = "rtpproxy_stop_stream2uac", returns = {1, -1})
    public int rtpproxyStopStream2uac(MessageContext ctx) {
        return commands.stopPrompt(view(ctx), set(ctx), true);
    }

    @Export(value = "rtpproxy_stop_stream2uas", returns = {1, -1})
    public int rtpproxyStopStream2uas(MessageContext ctx) {
        return commands.stopPrompt(view(ctx), set(ctx), false);
    }

    /** The relay's Q statistics for this call, what Kamailio's $rtpstat shows; null if unavailable. */
    public String rtpstat(MessageContext ctx) {
        return commands.query(view(ctx), set(ctx));
    }

    private Signalling view(MessageContext ctx) {
        return new MessageSignalling(ctx, this::printExtraId);
    }

    private String printExtraId(MessageContext ctx) {
        PvFormat f = extraId;
        return f == null ? null : f.print(ctx);
    }

    private RtpproxySets.NodeSet set(MessageContext ctx) {
        SelectedSet chosen = ctx.attachment(SelectedSet.class);
        return chosen != null ? chosen.set() : sets.defaultSet();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
