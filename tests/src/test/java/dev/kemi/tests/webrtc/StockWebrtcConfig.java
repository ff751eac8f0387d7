package dev.kemi.tests.webrtc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's stock /etc/kamailio/kamailio.cfg turned into a WebRTC gateway the documented way, at
 * test time from the installed files (no Kamailio cfg text lives in the project):
 * <ul>
 * <li>kamailio-local.cfg, which the stock file imports: WITH_AUTH, WITH_NAT, WITH_RTPENGINE,
 * WITH_TLS, WITH_WEBSOCKET, DBURL on SQLite, the listen sockets, and {@code #!subst} for the two
 * values the stock file hard-codes (the tls.cfg path, the rtpengine control socket);</li>
 * <li>the WebSocket additions of Kamailio's WebRTC example (kamailio-default-websocket.cfg): each
 * of its {@code #!ifdef WITH_WEBSOCKET} blocks is inserted where the example has it, and its NAT
 * detection lines (the WebSocket test, flag 64 of nat_uac_test) replace the stock ones;</li>
 * <li>the WebRTC &lt;-&gt; RTP rtpengine flags in route[NATMANAGE] (our text, {@link #MEDIA}): an offer
 * to a WebSocket client gets ICE, DTLS-SRTP and rtcp-mux, an offer from one to a plain phone loses
 * them; answers are left to rtpengine, which answers each side in the profile it offered.</li>
 * </ul>
 */
final class StockWebrtcConfig {
    static final Path STOCK = Path.of("/etc/kamailio/kamailio.cfg");
    static final Path GUIDE = Path.of("/usr/share/doc/kamailio/examples/webrtc/kamailio-default-websocket.cfg");
    static final int WSS_PORT = 8443;

    /** Replaces the stock's first rtpengine_manage condition in route[NATMANAGE]; its else-branches stay. */
    private static final List<String> MEDIA = List.of(
            "\t# WebRTC <-> RTP (added by the test): offers to a WebSocket client get ICE, DTLS-SRTP and",
            "\t# rtcp-mux; offers from one to a plain SIP phone lose them; answers follow the offer",
            "\tif (is_request() && ($du =~ \"transport=wss?\" || $ru =~ \"transport=wss?\")) {",
            "\t\trtpengine_manage(\"replace-origin replace-session-connection ICE=force DTLS=passive UDP/TLS/RTP/SAVPF rtcp-mux-offer\");",
            "\t} else if (is_request() && nat_uac_test(\"64\")) {",
            "\t\trtpengine_manage(\"replace-origin replace-session-connection ICE=remove DTLS=off RTP/AVP rtcp-mux-demux\");",
            "\t} else if(nat_uac_test(\"8\")) {");

    private StockWebrtcConfig() {}

    /** Writes kamailio.cfg and kamailio-local.cfg into {@code dir}. */
    static Path write(Path dir, String ip, Path tlsCfg, String rtpengineSock, String dbUrl) throws IOException {
        List<String> cfg = new ArrayList<>(Files.readAllLines(STOCK));
        List<String> guide = Files.readAllLines(GUIDE);
        insertWebsocketBlocks(cfg, guide);
        replaceInRoute(cfg, "NATDETECT", "nat_uac_test(", lineInRoute(guide, "NATDETECT", "nat_uac_test("));
        replaceAfter(cfg, "NATMANAGE", "if (is_reply()) {", lineAfter(guide, "NATMANAGE", "if (is_reply()) {"));
        int media = indexAfter(cfg, "NATMANAGE", "#!ifdef WITH_RTPENGINE") + 1;
        if (!cfg.get(media).strip().equals("if(nat_uac_test(\"8\")) {"))
            throw new IllegalStateException(STOCK + ":" + (media + 1) + ": not the rtpengine_manage condition: " + cfg.get(media));
        cfg.remove(media);
        cfg.addAll(media, MEDIA);
        Path file = dir.resolve("kamailio.cfg");
        Files.write(file, cfg);
        Files.writeString(dir.resolve("kamailio-local.cfg"), String.join("\n",
                "#!define WITH_AUTH",
                "#!define WITH_NAT",
                "#!define WITH_RTPENGINE",
                "#!define WITH_TLS",
                "#!define WITH_WEBSOCKET",
                "#!define DBURL \"" + dbUrl + "\"",
                "#!subst \"!/etc/kamailio/tls.cfg!" + tlsCfg + "!\"",
                "#!subst \"!udp:127.0.0.1:2223!" + rtpengineSock + "!\"",
                "loadmodule \"db_sqlite.so\"",
                "listen=udp:" + ip + ":5060",
                "listen=tcp:" + ip + ":5060",
                "listen=tls:" + ip + ":5061",
                "listen=tls:" + ip + ":" + WSS_PORT,
                ""));
        return file;
    }

    /**
     * Each {@code #!ifdef WITH_WEBSOCKET ... #!endif} block of the guide goes after the nearest line
     * before it that the stock file has exactly once (and the lines between, which must match);
     * a block that ends the guide ends the copy.
     */
    private static void insertWebsocketBlocks(List<String> cfg, List<String> guide) {
        int inserted = 0;
        for (int i = guide.size() - 1; i >= 0; i--) {
            if (!guide.get(i).strip().equals("#!ifdef WITH_WEBSOCKET")) continue;
            int end = i;
            while (!guide.get(end).strip().equals("#!endif")) end++;
            List<String> block = new ArrayList<>(guide.subList(i, end + 1));
            block.add("");
            boolean last = guide.subList(end + 1, guide.size()).stream().allMatch(String::isBlank);
            int at;
            if (last) {
                at = cfg.size();
                block.add(0, "");
            } else {
                int anchor = i - 1;
                while (anchor >= 0 && occurrences(cfg, guide.get(anchor)) != 1) anchor--;
                if (anchor < 0) throw new IllegalStateException(GUIDE + ":" + (i + 1) + ": no line of the stock file to insert after");
                at = indexOf(cfg, guide.get(anchor)) + 1;
                for (int g = anchor + 1; g < i; g++, at++) {
                    if (!cfg.get(at).strip().equals(guide.get(g).strip()))
                        throw new IllegalStateException(GUIDE + ":" + (g + 1) + " differs from " + STOCK + ":" + (at + 1));
                }
            }
            cfg.addAll(at, block);
            inserted++;
        }
        if (inserted == 0) throw new IllegalStateException(GUIDE + " has no WITH_WEBSOCKET block");
    }

    private static long occurrences(List<String> lines, String line) {
        if (line.isBlank()) return 0;
        return lines.stream().filter(l -> l.strip().equals(line.strip())).count();
    }

    private static int indexOf(List<String> lines, String line) {
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).strip().equals(line.strip())) return i;
        throw new IllegalStateException("no line " + line);
    }

    /** The index of the first line of route[name] whose stripped text starts with {@code start}. */
    private static int indexAfter(List<String> lines, String route, String start) {
        int i = indexOf(lines, "route[" + route + "] {");
        for (; i < lines.size() && !lines.get(i).equals("}"); i++) if (lines.get(i).strip().startsWith(start)) return i;
        throw new IllegalStateException("route[" + route + "] has no line " + start);
    }

    private static String lineInRoute(List<String> lines, String route, String contains) {
        return lines.get(indexContaining(lines, route, contains));
    }

    private static int indexContaining(List<String> lines, String route, String contains) {
        int i = indexOf(lines, "route[" + route + "] {");
        for (; i < lines.size() && !lines.get(i).equals("}"); i++) if (lines.get(i).contains(contains)) return i;
        throw new IllegalStateException("route[" + route + "] has no line with " + contains);
    }

    private static void replaceInRoute(List<String> cfg, String route, String contains, String with) {
        cfg.set(indexContaining(cfg, route, contains), with);
    }

    private static String lineAfter(List<String> lines, String route, String start) {
        return lines.get(indexAfter(lines, route, start) + 1);
    }

    private static void replaceAfter(List<String> cfg, String route, String start, String with) {
        cfg.set(indexAfter(cfg, route, start) + 1, with);
    }
}
