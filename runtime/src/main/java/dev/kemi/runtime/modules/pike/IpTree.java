package dev.kemi.runtime.modules.pike;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Kamailio's pike tree: one node per address byte, grown only while a prefix is busy (its hits
 * reach a quarter of the limit), so a full address (an IP leaf) is counted only after its prefix
 * has become warm. Each of the 256 branches (first byte) has its own lock.
 */
final class IpTree {
    static final int OK = 1, RED = -1, NEW_RED = -2;

    /** One byte of a prefix; fields guarded by the branch's lock. */
    static final class Node {
        final int b;
        final Node parent;
        final List<Node> kids = new ArrayList<>(2);
        final int[] hits = new int[2], leafHits = new int[2]; // [0] previous unit, [1] current
        boolean ipLeaf, red;
        long lastHit;

        Node(int b, Node parent) {
            this.b = b;
            this.parent = parent;
        }

        Node kid(int b) {
            for (Node k : kids) if (k.b == b) return k;
            return null;
        }
    }

    private final Node[] roots = new Node[256];
    private final Object[] locks = new Object[256];
    private final int maxHits;

    IpTree(int maxHits) {
        this.maxHits = maxHits;
        Arrays.setAll(locks, i -> new Object());
    }

    boolean hotLeaf(Node n) {
        return n.leafHits[0] >= maxHits || n.leafHits[1] >= maxHits || ((n.leafHits[0] + n.leafHits[1]) >> 1) >= maxHits;
    }

    private boolean hotNonLeaf(Node n) {
        int q = maxHits >> 2;
        return n.hits[0] >= q || n.hits[1] >= q || ((n.hits[0] + n.hits[1]) >> 1) >= q;
    }

    boolean warmLeaf(Node n) {
        return n.hits[1] >= maxHits >> 2;
    }

    /** One hit of the address (mark_node): 1, -1 already red, -2 just turned red. */
    int mark(byte[] ip, long now) {
        int first = ip[0] & 0xff;
        synchronized (locks[first]) {
            Node node = roots[first];
            if (node == null) {
                node = roots[first] = new Node(first, null);
                node.hits[1] = 1;
                node.lastHit = now;
                return OK;
            }
            int pos = 1;
            for (Node k; pos < ip.length && (k = node.kid(ip[pos] & 0xff)) != null; pos++) node = k;
            node.lastHit = now;
            if (pos == ip.length) {
                node.ipLeaf = true;
                if (node.leafHits[1] < Integer.MAX_VALUE) node.leafHits[1]++;
                if (node.red) return RED;
                if (hotLeaf(node)) {
                    node.red = true;
                    return NEW_RED;
                }
                return OK;
            }
            if (node.hits[1] < Integer.MAX_VALUE) node.hits[1]++;
            if (hotNonLeaf(node)) {
                // the child inherits part of its father's hits, as split_node
                Node kid = new Node(ip[pos] & 0xff, node);
                kid.hits[1] = Math.max(0, node.hits[1] - 1);
                if (node.leafHits[1] >= 1) kid.leafHits[0] = Math.max(0, node.leafHits[0] - 1);
                kid.lastHit = now;
                node.kids.add(kid);
            }
            return OK;
        }
    }

    /** End of a sampling unit (swap_routine). */
    void swap() {
        for (int i = 0; i < 256; i++) {
            synchronized (locks[i]) {
                if (roots[i] != null) swap(roots[i]);
            }
        }
    }

    private void swap(Node n) {
        n.hits[0] = n.hits[1];
        n.hits[1] = 0;
        n.leafHits[0] = n.leafHits[1];
        n.leafHits[1] = 0;
        if (n.red && !hotLeaf(n)) n.red = false;
        for (Node k : n.kids) swap(k);
    }

    /** Drops childless nodes not hit since idleBefore, then fathers left childless and idle. */
    void clean(long idleBefore) {
        for (int i = 0; i < 256; i++) {
            synchronized (locks[i]) {
                if (roots[i] != null && clean(roots[i], idleBefore)) roots[i] = null;
            }
        }
    }

    /** Whether n itself is to be removed. */
    private boolean clean(Node n, long idleBefore) {
        n.kids.removeIf(k -> clean(k, idleBefore));
        return n.kids.isEmpty() && !n.red && n.lastHit < idleBefore;
    }

    /** Every IP leaf with its address, for pike.top. */
    void leaves(BiConsumer<String, Node> out) {
        for (int i = 0; i < 256; i++) {
            synchronized (locks[i]) {
                if (roots[i] != null) leaves(roots[i], new byte[16], 0, out);
            }
        }
    }

    private void leaves(Node n, byte[] prefix, int depth, BiConsumer<String, Node> out) {
        prefix[depth] = (byte) n.b;
        if (n.ipLeaf && (depth + 1 == 4 || depth + 1 == 16)) {
            try {
                out.accept(InetAddress.getByAddress(Arrays.copyOf(prefix, depth + 1)).getHostAddress(), n);
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        for (Node k : n.kids) leaves(k, prefix, depth + 1, out);
    }
}
