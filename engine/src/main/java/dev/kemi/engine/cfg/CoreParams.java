package dev.kemi.engine.cfg;

import java.util.HashMap;
import java.util.Map;

/** The core global parameters accepted in kamailio.cfg (name=value), with their value type. */
final class CoreParams {
    enum Type {
        /** integer (may be negative); yes/no also read as 1/0, as in Kamailio */
        INT,
        /** yes/no/on/off/true/false or an integer */
        BOOL,
        /** quoted string, or a bare word/number */
        STR,
        /** the rest of the line as written (listen, alias) */
        RAW
    }

    private static final Map<String, Type> TYPES = new HashMap<>();

    static {
        for (String n : new String[] {
            "debug", "children", "tcp_children", "socket_workers", "async_workers", "async_usleep",
            "tcp_connection_lifetime", "tcp_max_connections", "tls_max_connections", "tcp_connect_timeout",
            "tcp_send_timeout", "tcp_rd_buf_size", "tcp_conn_wq_max", "tcp_wq_max", "tcp_keepidle",
            "tcp_keepintvl", "tcp_keepcnt", "tcp_linger2", "tcp_syncnt", "tcp_defer_accept",
            "max_while_loops", "max_recursive_level", "max_branches", "memdbg", "mem_dbg", "memlog", "mem_log",
            "mem_summary", "mem_status_mode", "corelog", "cor_log", "udp_mtu", "udp_mtu_try_proto",
            "received_route_mode", "latency_log", "latency_limit_action", "latency_limit_db", "latency_cfg_log",
            "port", "advertised_port", "tls_port_no", "sctp_children", "open_files_limit", "shm_mem_size",
            "mlock_pages", "rt_prio", "rt_timer1_prio", "rt_timer2_prio", "tos", "pmtu_discovery",
            "exit_timeout", "ser_kill_timeout", "server_id", "pv_buffer_size", "pv_buffer_slots",
            "maxbuffer", "sql_buffer_size", "dns_retr_time", "dns_retr_no", "dns_servers_no",
            "dns_cache_flags", "dns_cache_negative_ttl", "dns_cache_min_ttl", "dns_cache_max_ttl",
            "dns_cache_mem", "dns_cache_gc_interval", "dns_udp_pref", "dns_tcp_pref", "dns_tls_pref",
            "dns_sctp_pref", "dst_blacklist_mem", "dst_blacklist_expire", "dst_blacklist_ttl",
            "dst_blacklist_gc_interval", "sip_parser_log", "sip_parser_mode", "modinit_delay", "fork_delay",
            "log_prefix_mode", "mcast_ttl", "tcp_poll_method", "shm_force_alloc", "real_time", "rt_policy",
            "rt_timer1_policy", "rt_timer2_policy", "tcp_accept_hep3", "tcp_accept_haproxy",
            "tcp_wait_data", "tcp_clone_rcvbuf", "tcp_msg_read_timeout", "tcp_msg_data_timeout",
            "tcp_accept_iplimit", "log_stderror_color", "verbose_startup", "route_locks_size",
            "uri_host_extra_chars", "hdr_name_extra_chars", "ksr_tcp_main_threads", "msg_recv_max_size",
            "tcp_check_timer", "http_reply_parse", "http_reply_hack", "return_mode", "tcp_connection_match",
            "dns_slow_query_ms", "dst_blacklist_udp_imask", "dst_blacklist_tcp_imask", "dst_blacklist_tls_imask",
            "dst_blacklist_sctp_imask", "core_log", "tcp_wq_blk_size", "tlslog", "tls_log", "tls_handshake_timeout",
            "tls_send_timeout", "shm", "shm_mem", "rt_fast_timer_prio", "rt_ftimer_prio", "rt_ftimer_policy",
            "rt_stimer_prio", "rt_stimer_policy", "latency_limit_cfg", "udp4_raw_mtu", "udp4_raw_ttl",
            "dns_srv_loadbalancing", "dns_udp_preference", "dns_tcp_preference", "dns_tls_preference",
            "dns_sctp_preference", "dns_cache_delete_nonexpired"}) {
            TYPES.put(n, Type.INT);
        }
        for (String n : new String[] {
            "fork", "log_stderror", "log_color", "disable_tcp", "tcp_async", "tcp_accept_no_cl",
            "tcp_accept_aliases", "tcp_crlf_ping", "tcp_keepalive", "tcp_reuse_port", "tcp_delayed_ack",
            "tcp_fd_cache", "force_rport", "tcp_buf_write", "tcp_wq_blk", "tcp_no_connect", "mhomed", "server_signature",
            "sip_warning", "auto_aliases", "dns", "rev_dns", "use_dns_cache", "use_dns_failover",
            "dns_try_ipv6", "dns_try_naptr", "dns_use_search_list", "dns_search_full_match",
            "dns_cache_init", "dns_cache_del_nonexp", "dns_cache_rec_pref", "dns_srv_lb",
            "dns_naptr_ignore_rfc", "onsend_route_reply", "disable_tls", "enable_tls", "disable_sctp",
            "enable_sctp", "check_via", "phone2tel", "reply_to_via", "auto_bind_ipv6",
            "bind_ipv6_link_local", "ip_free_bind", "dst_blacklist_init", "use_dst_blacklist",
            "mem_safety", "mem_join", "mcast_loopback", "stat", "statistics", "disable_core_dump",
            "tcp_script_mode", "msg_time", "tls_threads_mode", "tcp_accept_unique",
            "async_nonblock", "tls_disable", "tls_enable", "tls_verify", "tls_require_certificate", "udp4_raw",
            "ip_nonlocal_bind", "ipfreebind"}) {
            TYPES.putIfAbsent(n, Type.BOOL);
        }
        for (String n : new String[] {
            "log_facility", "log_name", "log_prefix", "log_engine_type", "log_engine_data",
            "server_header", "user_agent_header", "rundir", "run_dir", "workdir", "wdir", "chroot",
            "user", "uid", "group", "gid", "mpath", "loadpath", "advertised_address", "tcp_source_ipv4",
            "tcp_source_ipv6", "tls_method", "tls_certificate", "tls_private_key", "tls_ca_list",
            "kemi.onsend_route_callback", "kemi.reply_route_callback", "kemi.received_route_callback",
            "kemi.pre_routing_callback", "kemi.event_route_callback", "xavp_via_params",
            "xavp_via_fields", "version_table", "mcast", "dns_search_list", "corelog_name",
            "pv_cache_limit", "pv_cache_action", "wait_worker1_mode", "wait_worker1_time",
            "wait_worker1_usleep", "ipv6_hex_style", "cfg_description", "description", "descr"}) {
            TYPES.putIfAbsent(n, Type.STR);
        }
        TYPES.put("listen", Type.RAW);
        TYPES.put("alias", Type.RAW);
        TYPES.put("socket", Type.RAW);
    }

    private CoreParams() {}

    /** The parameter's type, or null for an unknown parameter. */
    static Type type(String name) {
        return TYPES.get(name);
    }

    /** Reads "yes/no/on/off/true/false" or an integer; null if it is neither. */
    static Integer bool(String v) {
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "yes", "on", "true", "enable" -> 1;
            case "no", "off", "false", "disable" -> 0;
            default -> {
                try {
                    yield Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    yield null;
                }
            }
        };
    }
}
