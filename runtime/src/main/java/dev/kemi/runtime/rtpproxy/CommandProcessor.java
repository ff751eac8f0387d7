package dev.kemi.runtime.rtpproxy;

import dev.kemi.api.LogThrottle;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes rtpproxy control commands against the session table and returns the reply text
 * (newline included, cookie excluded). Runs on the single control thread only.
 */
final class CommandProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);
    private final LogThrottle failures = LogThrottle.perMinute();

    /** Base protocol version, the answer to V. */
    static final String PROTOCOL_VERSION = "20040107";
    /** VF capabilities answered with 1; every other date gets 0. */
    private static final Set<String> FEATURES = Set.of(
            PROTOCOL_VERSION,
            "20050322", // multiple streams per call (medianum tags) and MOH-style sessions
            "20080403", // Q statistics
            "20081102"); // c<payload list> on U/L (accepted, not used for transcoding)

    private static final Map<String, java.util.function.ToLongFunction<RelayStats>> STATS = Map.of(
            "nsess_created", s -> s.sessionsCreated,
            "nsess_destroyed", s -> s.sessionsDestroyed,
            "nsess_timeout", s -> s.sessionsTimedOut,
            "npkts_rcvd", s -> s.packetsReceived.sum(),
            "npkts_relayed", s -> s.packetsRelayed.sum(),
            "npkts_discard", s -> s.packetsDropped.sum(),
            "ncmds_rcvd", s -> s.commandsReceived);

    private final SessionTable sessions = new SessionTable();
    private final RelayStats stats;
    private final BindAddresses binds;
    private final PortAllocator ports;
    private final EventLoopGroup loops;
    private final int ttlSeconds;

    private final int latchPackets;

    CommandProcessor(RelayStats stats, BindAddresses binds, PortAllocator ports, EventLoopGroup loops, int ttlSeconds,
                     int latchPackets) {
        this.latchPackets = latchPackets;
        this.stats = stats;
        this.binds = binds;
        this.ports = ports;
        this.loops = loops;
        this.ttlSeconds = ttlSeconds;
    }

    String execute(ControlCommand cmd) {
        stats.commandsReceived++;
        try {
            return dispatch(cmd);
        } catch (CommandError e) {
            LOG.debug("command {} failed: E{} {}", cmd.args(), e.code, e.getMessage());
            return "E" + e.code + "\n";
        } catch (RuntimeException e) {
            // a bug must not take the control thread down; the client sees a failed command
            long more = failures.admit(e.getClass().getName());
            if (more != LogThrottle.SUPPRESS) LOG.error("command {} failed{}", cmd.args(), LogThrottle.more(more), e);
            else LOG.debug("command {} failed: {}", cmd.args(), e.toString());
            return "E" + ErrorCode.SYNTAX + "\n";
        }
    }

    private String dispatch(ControlCommand cmd) throws CommandError {
        String mods = cmd.modifiers();
        return switch (cmd.op()) {
            case 'V' -> {
                if (!mods.isEmpty() && Character.toUpperCase(mods.charAt(0)) == 'F') {
                    checkArgs(cmd, 2, 2, mods.length() == 1);
                    yield (FEATURES.contains(cmd.arg(1)) ? "1" : "0") + "\n";
                }
                checkArgs(cmd, 1, 1, mods.isEmpty());
                yield PROTOCOL_VERSION + "\n";
            }
            case 'U' -> {
                checkArgs(cmd, 5, 8, true);
                yield updateOrLookup(cmd, true);
            }
            case 'L' -> {
                checkArgs(cmd, 5, 6, true);
                yield updateOrLookup(cmd, false);
            }
            case 'D' -> {
                checkArgs(cmd, 3, 4, true);
                yield delete(cmd);
            }
            case 'Q' -> {
                checkArgs(cmd, 3, 4 + QueryReply.COUNTERS.size(), true);
                yield query(cmd);
            }
            case 'X' -> {
                checkArgs(cmd, 1, 1, mods.isEmpty());
                sessions.all().forEach(this::destroy);
                yield "0\n";
            }
            case 'I' -> {
                checkArgs(cmd, 1, 1, true);
                yield info(mods);
            }
            case 'G' -> {
                checkArgs(cmd, 1, 1 + STATS.size(), true);
                yield getStats(cmd);
            }
            default -> throw new CommandError(ErrorCode.UNKNOWN_COMMAND, "unsupported command " + cmd.arg(0));
        };
    }

    private static void checkArgs(ControlCommand cmd, int min, int max, boolean modifiersOk) throws CommandError {
        if (cmd.argc() < min || cmd.argc() > max) {
            throw new CommandError(ErrorCode.ARG_COUNT, "wrong number of arguments");
        }
        if (!modifiersOk) {
            throw new CommandError(ErrorCode.MODIFIERS_NOT_ALLOWED, "modifiers not supported");
        }
    }

    /**
     * U creates or updates a session, L looks one up; both answer with the local port (and
     * address) the signalled party must send to, and remember that party's address on the
     * opposite stream.
     */
    private String updateOrLookup(ControlCommand cmd, boolean update) throws CommandError {
        UlOptions o = UlOptions.parse(cmd, binds, update);
        if (o.notifySocket != null) {
            throw new CommandError(ErrorCode.NOTIFY_DISABLED, "timeout notification is not supported");
        }
        String callId = cmd.arg(1);
        String fromTag = cmd.arg(4);
        // with 7 arguments the 6th is the notify socket, not a to-tag (rtpproxy's parser)
        String toTag = cmd.argc() == 7 ? null : cmd.argOrNull(5);
        SessionTable.Match match = sessions.find(callId, fromTag, toTag);
        if (match == null && !update) {
            return "0\n";
        }
        RelaySession session;
        InetAddress replyAddress;
        int replyPort;
        int peer;
        if (match != null) {
            session = match.session();
            int index = update ? match.index() : 1 - match.index();
            MediaStream stream = session.streams[index];
            if (!stream.hasSockets() || o.newPort) {
                if (o.localAddress != null) {
                    stream.localAddress = o.localAddress;
                } else if (o.newPort && o.lidx == -1) {
                    stream.localAddress = o.lia[0];
                }
                openStream(session, index, ErrorCode.LISTENER_EXISTING);
            }
            if (o.weak) {
                stream.weak = true;
            } else if (update) {
                session.strong = true;
            }
            replyAddress = stream.localAddress;
            replyPort = stream.port;
            peer = 1 - index;
        } else {
            if (o.localAddress != null) {
                o.lia[0] = o.lia[1] = o.localAddress;
            }
            session = new RelaySession(callId, fromTag, loops.next(), o.lia[0], o.lia[1], latchPackets);
            openStream(session, 0, ErrorCode.LISTENER_NEW);
            if (o.weak) {
                session.streams[0].weak = true;
            } else {
                session.strong = true;
            }
            sessions.add(session);
            stats.sessionsCreated++;
            LOG.info("new session {} tag {} on {} port {}", callId, fromTag, o.lia[0], session.streams[0].port);
            replyAddress = o.lia[0];
            replyPort = session.streams[0].port;
            peer = 1;
        }
        session.touch();
        MediaStream party = session.streams[peer];
        if (o.remote != null) {
            party.prefill(o.remote);
        }
        if (o.onHold) {
            party.hold();
        }
        party.setAsymmetric(o.asymmetric);
        party.codecs = o.codecs;
        return binds.formatReply(replyPort, replyAddress) + "\n";
    }

    /** Binds (new) sockets for stream {@code index}; a replaced pair is closed afterwards. */
    private void openStream(RelaySession session, int index, int errorCode) throws CommandError {
        MediaStream in = session.streams[index];
        MediaStream out = session.streams[1 - index];
        PortAllocator.PortPair pair = ports.open(in.localAddress, session.loop,
                () -> new RelayHandler(session, in.rtp, out.rtp, stats),
                () -> new RelayHandler(session, in.rtcp, out.rtcp, stats));
        if (pair == null) {
            LOG.warn("cannot create listener on {}", in.localAddress);
            throw new CommandError(errorCode, "can't create listener");
        }
        boolean replacing = in.hasSockets();
        io.netty.channel.Channel oldRtp = in.rtp.channel;
        io.netty.channel.Channel oldRtcp = in.rtcp.channel;
        in.attach(pair);
        if (replacing) {
            oldRtp.close().awaitUninterruptibly();
            oldRtcp.close().awaitUninterruptibly();
        }
    }

    /**
     * D removes every session of the call whose tag is the from- or to-tag (with any medianum);
     * an exact tag match removes that one only.
     */
    private String delete(ControlCommand cmd) throws CommandError {
        boolean weak = false;
        for (char c : cmd.modifiers().toCharArray()) {
            if (Character.toUpperCase(c) != 'W') {
                throw new CommandError(ErrorCode.DELETE_MODIFIER, "unknown D modifier " + c);
            }
            weak = true;
        }
        String fromTag = cmd.arg(2);
        String toTag = cmd.argOrNull(3);
        int deleted = 0;
        for (RelaySession s : sessions.withCallId(cmd.arg(1))) {
            int cmp = SessionTable.compareTags(s.tag, fromTag);
            int index = 1;
            if (cmp == 0 && toTag != null) {
                cmp = SessionTable.compareTags(s.tag, toTag);
                index = 0;
            }
            if (cmp == 0) {
                continue;
            }
            if (weak) {
                s.streams[index].weak = false;
            } else {
                s.strong = false;
            }
            deleted++;
            if (s.strong || s.streams[0].weak || s.streams[1].weak) {
                continue;
            }
            destroy(s);
            if (cmp != 2) {
                break;
            }
        }
        if (deleted == 0) {
            throw new CommandError(ErrorCode.SESSION_NOT_FOUND, "session not found");
        }
        return "0\n";
    }

    private String query(ControlCommand cmd) throws CommandError {
        boolean verbose = false;
        for (char c : cmd.modifiers().toCharArray()) {
            if (Character.toUpperCase(c) != 'V') {
                throw new CommandError(ErrorCode.QUERY_MODIFIER, "unknown Q modifier " + c);
            }
            verbose = true;
        }
        SessionTable.Match match = sessions.find(cmd.arg(1), cmd.arg(2), cmd.argOrNull(3));
        if (match == null) {
            throw new CommandError(ErrorCode.SESSION_NOT_FOUND, "session not found");
        }
        List<String> names = cmd.argc() > 4 ? cmd.args().subList(4, cmd.argc()) : List.of();
        return QueryReply.format(match.session(), 1 - match.index(), ttlSeconds, verbose, names) + "\n";
    }

    private String info(String mods) throws CommandError {
        for (char c : mods.toCharArray()) {
            char u = Character.toUpperCase(c);
            if (u != 'B' && u != 'L') {
                throw new CommandError(ErrorCode.INFO_MODIFIER, "unknown I modifier " + c);
            }
        }
        int streams = 0;
        for (RelaySession s : sessions.all()) {
            streams += (s.streams[0].hasSockets() ? 1 : 0) + (s.streams[1].hasSockets() ? 1 : 0);
        }
        return "sessions created: " + stats.sessionsCreated + "\n"
                + "active sessions: " + sessions.size() + "\n"
                + "active streams: " + streams + "\n"
                + "packets received: " + stats.packetsReceived.sum() + "\n"
                + "packets transmitted: " + stats.packetsRelayed.sum() + "\n";
    }

    private String getStats(ControlCommand cmd) throws CommandError {
        boolean verbose = false;
        for (char c : cmd.modifiers().toCharArray()) {
            if (Character.toUpperCase(c) != 'V') {
                throw new CommandError(ErrorCode.STATS_MODIFIER, "unknown G modifier " + c);
            }
            verbose = true;
        }
        StringBuilder out = new StringBuilder();
        for (String name : cmd.args().subList(1, cmd.argc())) {
            var stat = STATS.get(name);
            if (stat == null) {
                throw new CommandError(ErrorCode.STATS_FAILED, "unknown statistic " + name);
            }
            if (!out.isEmpty()) {
                out.append(' ');
            }
            if (verbose) {
                out.append(name).append('=');
            }
            out.append(stat.applyAsLong(stats));
        }
        return out.append('\n').toString();
    }

    /** Removes sessions idle for longer than the TTL. */
    void expire(long now) {
        for (RelaySession s : sessions.all()) {
            if (s.expired(ttlSeconds, now)) {
                LOG.info("session {} tag {} timed out", s.callId, s.tag);
                stats.sessionsTimedOut++;
                destroy(s);
            }
        }
    }

    void closeAll() {
        sessions.all().forEach(this::destroy);
    }

    private void destroy(RelaySession s) {
        sessions.remove(s);
        s.close();
        stats.sessionsDestroyed++;
    }
}
