package dev.kemi.runtime.modules.rtpengine;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the instance for a command as Kamailio's select_rtpp_node: the instance that already
 * has the call (Call-ID + via-branch, kept {@code hashTableSeconds}) if it is in the active set,
 * else the Call-ID byte sum over the weights of the enabled, not yet tried instances; a disabled
 * instance is pinged again after {@code disableSeconds}; with {@code aggressiveRedetection} all
 * are pinged when none is left.
 */
final class Balancer {

    private static final Logger LOG = LoggerFactory.getLogger(Balancer.class);

    private record CallKey(String callId, String viaBranch) { }

    private record Owner(EngineNode node, long expires) { }

    private final NgClient client;
    private final Map<CallKey, Owner> calls = new ConcurrentHashMap<>();
    private int puts;
    volatile int disableSeconds = 60;
    volatile boolean aggressiveRedetection = true;
    volatile int hashTableSeconds = 3600;
    /** rtpengine_allow_op: 0 never use a disabled instance, 1 also one disabled by timeout. */
    volatile int allowOp;

    Balancer(NgClient client) {
        this.client = client;
    }

    EngineNode select(EngineSets.EngineSet set, String callId, String viaBranch, List<EngineNode> tried, Op op) {
        EngineNode node = owner(callId, viaBranch, op);
        if (node == null || !set.nodes().contains(node)) {
            node = selectNew(set, callId, tried);
            if (node == null) {
                LOG.error("rtpengine failed to select new for callid={}", callId);
                return null;
            }
        }
        if (!node.disabled) {
            return node;
        }
        if (allowOp != 0 && (node.recheckAt == EngineNode.NEVER || allowOp == 1)) {
            return node;
        }
        return null;
    }

    private EngineNode selectNew(EngineSets.EngineSet set, String callId, List<EngineNode> tried) {
        int sum = 0;
        for (int i = 0; i < callId.length(); i++) {
            sum += (byte) callId.charAt(i);
        }
        sum &= 0xff;
        boolean forced = false;
        while (true) {
            int weightSum = 0;
            for (EngineNode node : set.nodes()) {
                if (node.disabled && node.recheckAt <= System.nanoTime()) {
                    node.disabled = test(node, true, false);
                }
                if (!node.disabled && !tried.contains(node)) {
                    weightSum += node.weight;
                }
            }
            if (weightSum == 0) {
                if (!aggressiveRedetection || forced) {
                    return null;
                }
                forced = true;
                for (EngineNode node : set.nodes()) {
                    node.disabled = test(node, true, true);
                }
                continue;
            }
            int cut = Integer.remainderUnsigned(sum, weightSum);
            EngineNode chosen = null;
            for (EngineNode node : set.nodes()) {
                if (node.disabled || tried.contains(node)) {
                    continue;
                }
                if (cut < node.weight) {
                    chosen = node;
                    break;
                }
                cut -= node.weight;
            }
            if (chosen == null) {
                return null;
            }
            chosen.disabled = test(chosen, chosen.disabled, false);
            if (!chosen.disabled) {
                return chosen;
            }
        }
    }

    /** Kamailio's rtpp_test: a ping; true when the instance is (still) disabled. */
    boolean test(EngineNode node, boolean isDisabled, boolean force) {
        if (node.recheckAt == EngineNode.NEVER) {
            return true;
        }
        if (!force) {
            if (!isDisabled) {
                return false;
            }
            if (node.recheckAt > System.nanoTime()) {
                return true;
            }
        }
        byte[] reply = client.send(node, Bencode.encode(Map.of("command", Op.PING.command)), Op.PING.command);
        if (reply == null) {
            LOG.error("proxy did not respond to ping");
            disable(node);
            return true;
        }
        Object decoded;
        try {
            decoded = Bencode.decode(reply, 0, reply.length);
        } catch (IllegalArgumentException e) {
            decoded = null;
        }
        if (!(decoded instanceof Map<?, ?> dict) || !"pong".equals(dict.get("result"))) {
            LOG.error("proxy responded with invalid response");
            return true;
        }
        LOG.info("rtpengine instance <{}> found, support for it {}enabled", node, force ? "" : "re-");
        return false;
    }

    void disable(EngineNode node) {
        node.disabled = true;
        if (node.recheckAt != EngineNode.NEVER) {
            node.recheckAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(disableSeconds);
        }
    }

    /** The instance that answered this call before (not expired), or null; a delete without via-branch matches any branch. */
    private EngineNode owner(String callId, String viaBranch, Op op) {
        long now = System.nanoTime();
        Owner o = calls.get(new CallKey(callId, viaBranch));
        if (o == null && viaBranch.isEmpty() && op == Op.DELETE) {
            for (Map.Entry<CallKey, Owner> e : calls.entrySet()) {
                if (e.getKey().callId.equals(callId) && e.getValue().expires > now) {
                    o = e.getValue();
                    break;
                }
            }
        }
        return o == null || o.expires <= now ? null : o.node;
    }

    void remember(String callId, String viaBranch, EngineNode node) {
        long now = System.nanoTime();
        CallKey key = new CallKey(callId, viaBranch);
        Owner o = calls.get(key);
        if (o != null && o.expires > now) {
            return;
        }
        calls.put(key, new Owner(node, now + TimeUnit.SECONDS.toNanos(hashTableSeconds)));
        if (++puts % 1024 == 0) {
            Iterator<Owner> it = calls.values().iterator();
            while (it.hasNext()) {
                if (it.next().expires <= now) {
                    it.remove();
                }
            }
        }
    }

    /** After a delete: that branch, or without via-branch every branch of the call. */
    void forget(String callId, String viaBranch) {
        calls.remove(new CallKey(callId, viaBranch));
        if (viaBranch.isEmpty()) {
            calls.keySet().removeIf(k -> k.callId.equals(callId));
        }
    }

    int callsKnown() {
        return calls.size();
    }
}
