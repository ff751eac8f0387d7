package dev.kemi.runtime.core;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Core parameters we accept but do not implement, refused at startup with file:line instead of
 * being accepted and ignored. A parameter is either implemented (read where it acts), without an
 * effect on a JVM ({@link #NO_EFFECT}, documented in docs/modules.md), accepted at Kamailio's
 * default only ({@link #DEFAULT_ONLY}: the default is what we do), or refused at any value
 * ({@link #UNSUPPORTED}). The values Debian's stock kamailio.cfg and the basic-kemi example set
 * pass.
 */
public final class GlobalChecks {
    private static final Set<String> FACILITIES = Set.of("LOG_AUTH", "LOG_CRON", "LOG_DAEMON", "LOG_KERN", "LOG_LOCAL0",
            "LOG_LOCAL1", "LOG_LOCAL2", "LOG_LOCAL3", "LOG_LOCAL4", "LOG_LOCAL5", "LOG_LOCAL6", "LOG_LOCAL7", "LOG_LPR",
            "LOG_MAIL", "LOG_NEWS", "LOG_USER", "LOG_UUCP", "LOG_AUTHPRIV", "LOG_FTP", "LOG_SYSLOG");

    /**
     * Tune what a JVM does not have (Kamailio's pkg/shm allocators, process priorities and
     * start-up pacing, fd caches, module paths of a build with built-in modules) or time actions
     * we do not time (latency_*): accepted so that real cfgs load, and documented.
     */
    static final Set<String> NO_EFFECT = Set.of("memdbg", "mem_dbg", "memlog", "mem_log", "mem_summary", "mem_status_mode",
            "mem_safety", "mem_join", "shm_mem_size", "shm", "shm_mem", "shm_force_alloc", "mlock_pages", "real_time",
            "rt_prio", "rt_policy", "rt_timer1_prio", "rt_timer1_policy", "rt_timer2_prio", "rt_timer2_policy",
            "rt_fast_timer_prio", "rt_ftimer_prio", "rt_ftimer_policy", "rt_stimer_prio", "rt_stimer_policy",
            "open_files_limit", "pv_buffer_size", "pv_buffer_slots", "pv_cache_limit", "pv_cache_action", "sql_buffer_size",
            "tcp_poll_method", "tcp_fd_cache", "tcp_wq_blk", "tcp_wq_blk_size", "tcp_clone_rcvbuf", "tcp_rd_buf_size",
            "maxbuffer", "fork_delay", "modinit_delay", "disable_core_dump", "wait_worker1_mode", "wait_worker1_time",
            "wait_worker1_usleep", "mpath", "latency_log", "latency_cfg_log", "latency_limit_action", "latency_limit_db",
            "latency_limit_cfg");

    /** Kamailio 5.6.3's default of each: the behaviour we have; another value is refused. */
    static final Map<String, Integer> DEFAULT_ONLY = Map.ofEntries(
            Map.entry("fork", 1), Map.entry("log_color", 0), Map.entry("verbose_startup", 0), Map.entry("log_prefix_mode", 0),
            Map.entry("corelog", -1), Map.entry("cor_log", -1), Map.entry("core_log", -1),
            Map.entry("async_workers", 0), Map.entry("return_mode", 0), Map.entry("received_route_mode", 0),
            Map.entry("onsend_route_reply", 0), Map.entry("sip_warning", 0), Map.entry("phone2tel", 1),
            Map.entry("reply_to_via", 0), Map.entry("msg_time", 0), Map.entry("tos", 0x10),
            Map.entry("udp_mtu", 0), Map.entry("udp_mtu_try_proto", 0), Map.entry("udp4_raw", 0),
            Map.entry("auto_bind_ipv6", 0), Map.entry("bind_ipv6_link_local", 0), Map.entry("ip_free_bind", 0),
            Map.entry("ipfreebind", 0), Map.entry("ip_nonlocal_bind", 0), Map.entry("disable_sctp", 1),
            Map.entry("use_dst_blacklist", 0), Map.entry("dst_blacklist_init", 1),
            Map.entry("tcp_accept_aliases", 0), Map.entry("tcp_crlf_ping", 1), Map.entry("tcp_reuse_port", 0),
            Map.entry("tcp_delayed_ack", 1), Map.entry("tcp_no_connect", 0), Map.entry("tcp_script_mode", 0),
            Map.entry("tcp_accept_unique", 0), Map.entry("tcp_accept_hep3", 0), Map.entry("tcp_accept_haproxy", 0),
            Map.entry("tcp_keepidle", 0), Map.entry("tcp_keepintvl", 0), Map.entry("tcp_keepcnt", 0),
            Map.entry("tcp_linger2", 0), Map.entry("tcp_syncnt", 0), Map.entry("tcp_defer_accept", 0),
            Map.entry("tls_threads_mode", 0), Map.entry("async_nonblock", 0),
            // resolver: A/AAAA through the system resolver (search list on), no NAPTR/SRV of our own
            Map.entry("dns", 0), Map.entry("rev_dns", 0), Map.entry("dns_try_ipv6", 1), Map.entry("dns_try_naptr", 0),
            Map.entry("use_dns_cache", 1), Map.entry("use_dns_failover", 0), Map.entry("dns_srv_lb", 0),
            Map.entry("dns_srv_loadbalancing", 0), Map.entry("dns_use_search_list", 1), Map.entry("dns_search_full_match", 1),
            Map.entry("dns_naptr_ignore_rfc", 1), Map.entry("dns_cache_init", 1), Map.entry("dns_cache_flags", 0),
            Map.entry("dns_cache_del_nonexp", 0), Map.entry("dns_cache_delete_nonexpired", 0),
            Map.entry("dns_cache_rec_pref", 0), Map.entry("dns_retr_time", -1), Map.entry("dns_retr_no", -1),
            Map.entry("dns_servers_no", -1), Map.entry("dns_slow_query_ms", 0), Map.entry("dns_udp_pref", 30),
            Map.entry("dns_udp_preference", 30), Map.entry("dns_tcp_pref", 20), Map.entry("dns_tcp_preference", 20),
            Map.entry("dns_tls_pref", 10), Map.entry("dns_tls_preference", 10), Map.entry("dns_sctp_pref", 20),
            Map.entry("dns_sctp_preference", 20));

    /** Not implemented at any value. */
    static final Map<String, String> UNSUPPORTED = Map.ofEntries(
            Map.entry("max_branches", "the branch limit is not implemented"),
            Map.entry("socket_workers", "workers are per proxy, not per socket"),
            Map.entry("async_usleep", "there are no async worker processes"),
            Map.entry("sctp_children", "SCTP is not supported"),
            Map.entry("tcp_connect_timeout", "the TCP connect timeout is not configurable"),
            Map.entry("tcp_wait_data", "not implemented"), Map.entry("tcp_msg_read_timeout", "not implemented"),
            Map.entry("tcp_msg_data_timeout", "not implemented"), Map.entry("tcp_check_timer", "not implemented"),
            Map.entry("tcp_connection_match", "not implemented"), Map.entry("tcp_source_ipv4", "not implemented"),
            Map.entry("tcp_source_ipv6", "not implemented"), Map.entry("msg_recv_max_size", "not implemented"),
            Map.entry("pmtu_discovery", "not implemented"),
            Map.entry("exit_timeout", "not implemented"), Map.entry("ser_kill_timeout", "not implemented"),
            Map.entry("route_locks_size", "not implemented"), Map.entry("uri_host_extra_chars", "not implemented"),
            Map.entry("hdr_name_extra_chars", "not implemented"), Map.entry("ksr_tcp_main_threads", "not implemented"),
            Map.entry("http_reply_parse", "not implemented"), Map.entry("http_reply_hack", "not implemented"),
            Map.entry("sip_parser_log", "not implemented"), Map.entry("sip_parser_mode", "not implemented"),
            Map.entry("log_stderror_color", "not implemented"), Map.entry("log_engine_type", "not implemented"),
            Map.entry("log_engine_data", "not implemented"), Map.entry("corelog_name", "not implemented"),
            Map.entry("statistics", "not implemented"), Map.entry("workdir", "not implemented"), Map.entry("wdir", "not implemented"),
            Map.entry("user_agent_header", "not implemented"), Map.entry("ipv6_hex_style", "not implemented"),
            Map.entry("cfg_description", "not implemented"), Map.entry("dns_search_list", "not implemented"),
            Map.entry("mcast_ttl", "multicast is not supported"), Map.entry("mcast_loopback", "multicast is not supported"),
            Map.entry("udp4_raw_mtu", "raw sockets are not supported"), Map.entry("udp4_raw_ttl", "raw sockets are not supported"),
            Map.entry("dns_cache_negative_ttl", "no DNS cache of its own (the JVM resolver's cache is used)"),
            Map.entry("dns_cache_min_ttl", "no DNS cache of its own (the JVM resolver's cache is used)"),
            Map.entry("dns_cache_max_ttl", "no DNS cache of its own (the JVM resolver's cache is used)"),
            Map.entry("dns_cache_mem", "no DNS cache of its own (the JVM resolver's cache is used)"),
            Map.entry("dns_cache_gc_interval", "no DNS cache of its own (the JVM resolver's cache is used)"),
            Map.entry("dst_blacklist_mem", "the destination blocklist is not implemented"),
            Map.entry("dst_blacklist_expire", "the destination blocklist is not implemented"),
            Map.entry("dst_blacklist_ttl", "the destination blocklist is not implemented"),
            Map.entry("dst_blacklist_gc_interval", "the destination blocklist is not implemented"),
            Map.entry("dst_blacklist_udp_imask", "the destination blocklist is not implemented"),
            Map.entry("dst_blacklist_tcp_imask", "the destination blocklist is not implemented"),
            Map.entry("dst_blacklist_tls_imask", "the destination blocklist is not implemented"),
            Map.entry("dst_blacklist_sctp_imask", "the destination blocklist is not implemented"),
            Map.entry("tls_method", "use the tls module's parameters"), Map.entry("tls_certificate", "use the tls module's parameters"),
            Map.entry("tls_private_key", "use the tls module's parameters"), Map.entry("tls_ca_list", "use the tls module's parameters"),
            Map.entry("tls_verify", "use the tls module's parameters"),
            Map.entry("tls_require_certificate", "use the tls module's parameters"),
            Map.entry("tlslog", "not implemented"), Map.entry("tls_log", "not implemented"),
            Map.entry("tls_handshake_timeout", "not implemented"), Map.entry("tls_send_timeout", "not implemented"),
            Map.entry("kemi.received_route_callback", "not implemented"),
            Map.entry("kemi.pre_routing_callback", "not implemented"));

    private GlobalChecks() {}

    /** @throws dev.kemi.api.ScriptException naming the line of a refused value */
    public static void check(Globals g) {
        refuseYes(g, "enable_sctp", "SCTP is not supported");
        for (Globals.Setting s : g.all("log_facility")) {
            if (!FACILITIES.contains(Globals.unquote(s.value()).trim())) throw s.error("log_facility: unknown syslog facility " + s.value());
        }
        g.boolValue("log_stderror", false); // a word that is not a boolean fails here; `kemi run` acts on it (LogTarget)
        for (Map.Entry<String, String> e : UNSUPPORTED.entrySet()) {
            List<Globals.Setting> s = g.all(e.getKey());
            if (!s.isEmpty()) throw s.getFirst().error(e.getKey() + ": core parameter not supported (" + e.getValue() + ")");
        }
        for (Map.Entry<String, Integer> e : DEFAULT_ONLY.entrySet()) {
            for (Globals.Setting s : g.all(e.getKey())) {
                Integer v = number(s.value());
                if (v == null || v.intValue() != e.getValue()) {
                    throw s.error(e.getKey() + "=" + s.value() + ": not supported (only Kamailio's default, " + e.getValue() + ")");
                }
            }
        }
    }

    private static Integer number(String value) {
        String v = Globals.unquote(value).trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "yes", "on", "true", "enable" -> 1;
            case "no", "off", "false", "disable" -> 0;
            default -> {
                try {
                    yield v.startsWith("0x") ? Integer.parseInt(v.substring(2), 16) : Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    yield null;
                }
            }
        };
    }

    private static void refuseYes(Globals g, String name, String why) {
        List<Globals.Setting> s = g.all(name);
        if (!s.isEmpty() && g.boolValue(name, false)) throw s.get(s.size() - 1).error(name + "=yes: " + why);
    }
}
