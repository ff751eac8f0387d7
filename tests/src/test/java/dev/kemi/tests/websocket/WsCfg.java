package dev.kemi.tests.websocket;

/**
 * One cfg for Kamailio 5.6.3 and for us, after the WebSocket part of Kamailio's WebRTC setup:
 * SIP on 5060 (UDP, TCP), WebSocket on TCP 8080 through xhttp, NAT handling of WebSocket
 * clients with nathelper (fix_nated_register / add_contact_alias / handle_ruri_alias), a
 * registrar, and a short keepalive so the test sees Pings; {@link #withTls} adds WSS on TLS
 * 4443. {ip} and {dir} are filled in.
 */
final class WsCfg {
    static final int WS_PORT = 8080;
    static final int WSS_PORT = 4443;

    private WsCfg() {}

    /** WSS: a TLS listener whose xhttp requests are upgraded the same way; tls.cfg sits in {dir}. */
    private static final String TLS = """
            enable_tls=yes
            listen=tls:{ip}:4443
            loadmodule "tls.so"
            modparam("tls", "config", "{dir}/tls.cfg")
            """;

    /** The cfg with the TLS listener added (WSS). */
    static String withTls(String cfg, String ip) {
        return cfg.replace("loadmodule \"tm.so\"\n", TLS.replace("{ip}", ip) + "loadmodule \"tm.so\"\n");
    }

    private static final String HEAD = """
            #!KAMAILIO
            debug=2
            log_stderror=yes
            children=2
            listen=udp:{ip}:5060
            listen=tcp:{ip}:5060
            listen=tcp:{ip}:8080
            tcp_accept_no_cl=yes
            loadmodule "tm.so"
            loadmodule "sl.so"
            loadmodule "rr.so"
            loadmodule "pv.so"
            loadmodule "xlog.so"
            loadmodule "maxfwd.so"
            loadmodule "siputils.so"
            loadmodule "textops.so"
            loadmodule "usrloc.so"
            loadmodule "registrar.so"
            loadmodule "nathelper.so"
            loadmodule "xhttp.so"
            loadmodule "websocket.so"
            loadmodule "kex.so"
            loadmodule "ctl.so"
            modparam("ctl", "binrpc", "unix:{dir}/ctl.sock")
            modparam("nathelper|registrar", "received_avp", "$avp(RECEIVED)")
            modparam("websocket", "keepalive_mechanism", 1)
            modparam("websocket", "keepalive_timeout", 2)
            modparam("websocket", "keepalive_interval", 1)
            """;

    static String nativeCfg(String ip) {
        return (HEAD + """
                request_route {
                    if (nat_uac_test(64)) {
                        force_rport();
                        if (is_method("REGISTER")) {
                            fix_nated_register();
                        } else if (!add_contact_alias()) {
                            sl_send_reply("400", "Bad Contact");
                            exit;
                        }
                    }
                    if (has_totag()) {
                        if (loose_route()) {
                            if ($du == "") {
                                if (!handle_ruri_alias()) {
                                    sl_send_reply("400", "Bad alias");
                                    exit;
                                }
                            }
                            t_on_reply("NAT");
                            t_relay();
                            exit;
                        }
                        if (is_method("ACK")) {
                            if (t_check_trans()) t_relay();
                            exit;
                        }
                        sl_send_reply("404", "Not here");
                        exit;
                    }
                    if (is_method("REGISTER")) {
                        if (!save("location")) sl_reply_error();
                        exit;
                    }
                    if (is_method("INVITE")) record_route();
                    if (uri == myself) {
                        if (!lookup("location")) {
                            append_to_reply("X-Conid: $ws_conid\\r\\n");
                            sl_send_reply("404", "Not Found");
                            exit;
                        }
                    }
                    t_on_reply("NAT");
                    if (!t_relay()) sl_reply_error();
                }

                onreply_route[NAT] {
                    if (nat_uac_test(64)) add_contact_alias();
                }

                event_route[xhttp:request] {
                    set_reply_close();
                    set_reply_no_connect();
                    if ($Rp != 8080 && $Rp != 4443) {
                        xhttp_reply("403", "Forbidden", "", "");
                        exit;
                    }
                    if ($hdr(Upgrade) =~ "websocket" && $hdr(Connection) =~ "Upgrade" && $rm =~ "GET") {
                        if (ws_handle_handshake()) exit;
                    }
                    xhttp_reply("404", "Not Found", "", "");
                }
                """).replace("{ip}", ip);
    }

    static String jsCfg(String ip) {
        return (HEAD + """
                loadmodule "kemix.so"
                loadmodule "app_jsdt.so"
                modparam("app_jsdt", "load", "{dir}/ws.js")
                modparam("xhttp", "event_callback", "ksr_xhttp_event")
                modparam("usrloc", "preload", "location")
                cfgengine "jsdt"
                """).replace("{ip}", ip);
    }

    /** The same logic in KEMI JavaScript. */
    static final String JS = """
            function ksr_request_route() {
                if (KSR.nathelper.nat_uac_test(64) > 0) {
                    KSR.force_rport();
                    if (KSR.is_REGISTER()) {
                        KSR.nathelper.fix_nated_register();
                    } else if (KSR.nathelper.add_contact_alias() < 0) {
                        KSR.sl.sl_send_reply(400, "Bad Contact");
                        return;
                    }
                }
                if (KSR.siputils.has_totag() > 0) {
                    if (KSR.rr.loose_route() > 0) {
                        if (KSR.pv.is_null("$du")) {
                            if (KSR.nathelper.handle_ruri_alias() < 0) {
                                KSR.sl.sl_send_reply(400, "Bad alias");
                                return;
                            }
                        }
                        KSR.tm.t_on_reply("ksr_nat_reply");
                        KSR.tm.t_relay();
                        return;
                    }
                    if (KSR.is_ACK()) {
                        if (KSR.tm.t_check_trans() > 0) KSR.tm.t_relay();
                        return;
                    }
                    KSR.sl.sl_send_reply(404, "Not here");
                    return;
                }
                if (KSR.is_REGISTER()) {
                    if (KSR.registrar.save("location", 0) < 0) KSR.sl.sl_reply_error();
                    return;
                }
                if (KSR.is_INVITE()) KSR.rr.record_route();
                if (KSR.is_myself_ruri()) {
                    if (KSR.registrar.lookup("location") < 0) {
                        KSR.hdr.append_to_reply("X-Conid: " + KSR.pv.get("$ws_conid") + "\\r\\n");
                        KSR.sl.sl_send_reply(404, "Not Found");
                        return;
                    }
                }
                KSR.tm.t_on_reply("ksr_nat_reply");
                if (KSR.tm.t_relay() < 0) KSR.sl.sl_reply_error();
            }

            function ksr_nat_reply() {
                if (KSR.nathelper.nat_uac_test(64) > 0) KSR.nathelper.add_contact_alias();
            }

            function ksr_xhttp_event(evname) {
                KSR.set_reply_close();
                KSR.set_reply_no_connect();
                if (KSR.kx.get_rcvport() != 8080 && KSR.kx.get_rcvport() != 4443) {
                    KSR.xhttp.xhttp_reply(403, "Forbidden", "", "");
                    return;
                }
                var up = KSR.hdr.get("Upgrade"), conn = KSR.hdr.get("Connection");
                if (up && /websocket/.test(up) && conn && /Upgrade/.test(conn) && KSR.kx.get_method() == "GET") {
                    // 1 upgraded; 0 refused with the reply already sent (KEMI does not exit on 0)
                    KSR.websocket.handle_handshake();
                    return;
                }
                KSR.xhttp.xhttp_reply(404, "Not Found", "", "");
            }
            """;
}
