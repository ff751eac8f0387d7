package dev.kemi.engine.cfg;

import dev.kemi.api.Export;
import dev.kemi.api.Module;

/**
 * Every function (name and arity) the kamailio.cfg shipped with Kamailio 5.6.3 calls, as no-op
 * exports returning 1, so that config can be compiled with all its #!ifdef variants.
 */
@Module(value = "defaultcfg", loadName = "defaultcfg")
public final class DefaultCfgFunctions {
    @Export(value = "add_rr_param_1", natives = "add_rr_param") public int addRrParam1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "alias_db_lookup_1", natives = "alias_db_lookup") public int aliasDbLookup1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "allow_source_address_0", natives = "allow_source_address") public int allowSourceAddress0(Fakes.Ctx c) { return 1; }
    @Export(value = "append_hf_1", natives = "append_hf") public int appendHf1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "auth_challenge_2", natives = "auth_challenge") public int authChallenge2(Fakes.Ctx c, String a1, String a2) { return 1; }
    @Export(value = "auth_check_3", natives = "auth_check") public int authCheck3(Fakes.Ctx c, String a1, String a2, String a3) { return 1; }
    @Export(value = "check_route_param_1", natives = "check_route_param") public int checkRouteParam1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "consume_credentials_0", natives = "consume_credentials") public int consumeCredentials0(Fakes.Ctx c) { return 1; }
    @Export(value = "fix_nated_register_0", natives = "fix_nated_register") public int fixNatedRegister0(Fakes.Ctx c) { return 1; }
    @Export(value = "force_rport_0", natives = "force_rport") public int forceRport0(Fakes.Ctx c) { return 1; }
    @Export(value = "handle_publish_0", natives = "handle_publish") public int handlePublish0(Fakes.Ctx c) { return 1; }
    @Export(value = "handle_ruri_alias_0", natives = "handle_ruri_alias") public int handleRuriAlias0(Fakes.Ctx c) { return 1; }
    @Export(value = "handle_subscribe_0", natives = "handle_subscribe") public int handleSubscribe0(Fakes.Ctx c) { return 1; }
    @Export(value = "has_totag_0", natives = "has_totag") public int hasTotag0(Fakes.Ctx c) { return 1; }
    @Export(value = "is_first_hop_0", natives = "is_first_hop") public int isFirstHop0(Fakes.Ctx c) { return 1; }
    @Export(value = "is_method_1", natives = "is_method") public int isMethod1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "is_reply_0", natives = "is_reply") public int isReply0(Fakes.Ctx c) { return 1; }
    @Export(value = "is_request_0", natives = "is_request") public int isRequest0(Fakes.Ctx c) { return 1; }
    @Export(value = "isbflagset_1", natives = "isbflagset") public int isbflagset1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "isdsturiset_0", natives = "isdsturiset") public int isdsturiset0(Fakes.Ctx c) { return 1; }
    @Export(value = "isflagset_1", natives = "isflagset") public int isflagset1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "jsonrpc_dispatch_0", natives = "jsonrpc_dispatch") public int jsonrpcDispatch0(Fakes.Ctx c) { return 1; }
    @Export(value = "lookup_1", natives = "lookup") public int lookup1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "loose_route_0", natives = "loose_route") public int looseRoute0(Fakes.Ctx c) { return 1; }
    @Export(value = "mf_process_maxfwd_header_1", natives = "mf_process_maxfwd_header") public int mfProcessMaxfwdHeader1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "msg_apply_changes_0", natives = "msg_apply_changes") public int msgApplyChanges0(Fakes.Ctx c) { return 1; }
    @Export(value = "nat_uac_test_1", natives = "nat_uac_test") public int natUacTest1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "pike_check_req_0", natives = "pike_check_req") public int pikeCheckReq0(Fakes.Ctx c) { return 1; }
    @Export(value = "prefix_1", natives = "prefix") public int prefix1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "record_route_0", natives = "record_route") public int recordRoute0(Fakes.Ctx c) { return 1; }
    @Export(value = "remove_hf_1", natives = "remove_hf") public int removeHf1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "rtpengine_manage_1", natives = "rtpengine_manage") public int rtpengineManage1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "rtpproxy_manage_1", natives = "rtpproxy_manage") public int rtpproxyManage1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "sanity_check_2", natives = "sanity_check") public int sanityCheck2(Fakes.Ctx c, String a1, String a2) { return 1; }
    @Export(value = "save_1", natives = "save") public int save1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "sd_lookup_1", natives = "sd_lookup") public int sdLookup1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "send_reply_2", natives = "send_reply") public int sendReply2(Fakes.Ctx c, String a1, String a2) { return 1; }
    @Export(value = "set_contact_alias_0", natives = "set_contact_alias") public int setContactAlias0(Fakes.Ctx c) { return 1; }
    @Export(value = "set_forward_no_connect_0", natives = "set_forward_no_connect") public int setForwardNoConnect0(Fakes.Ctx c) { return 1; }
    @Export(value = "set_reply_close_0", natives = "set_reply_close") public int setReplyClose0(Fakes.Ctx c) { return 1; }
    @Export(value = "set_reply_no_connect_0", natives = "set_reply_no_connect") public int setReplyNoConnect0(Fakes.Ctx c) { return 1; }
    @Export(value = "setbflag_1", natives = "setbflag") public int setbflag1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "setflag_1", natives = "setflag") public int setflag1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "sl_reply_error_0", natives = "sl_reply_error") public int slReplyError0(Fakes.Ctx c) { return 1; }
    @Export(value = "sl_send_reply_2", natives = "sl_send_reply") public int slSendReply2(Fakes.Ctx c, String a1, String a2) { return 1; }
    @Export(value = "starts_with_2", natives = "starts_with") public int startsWith2(Fakes.Ctx c, String a1, String a2) { return 1; }
    @Export(value = "strip_1", natives = "strip") public int strip1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "t_check_status_1", natives = "t_check_status") public int tCheckStatus1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "t_check_trans_0", natives = "t_check_trans") public int tCheckTrans0(Fakes.Ctx c) { return 1; }
    @Export(value = "t_is_branch_route_0", natives = "t_is_branch_route") public int tIsBranchRoute0(Fakes.Ctx c) { return 1; }
    @Export(value = "t_is_canceled_0", natives = "t_is_canceled") public int tIsCanceled0(Fakes.Ctx c) { return 1; }
    @Export(value = "t_is_set_1", natives = "t_is_set") public int tIsSet1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "t_newtran_0", natives = "t_newtran") public int tNewtran0(Fakes.Ctx c) { return 1; }
    @Export(value = "t_on_branch_1", natives = "t_on_branch") public int tOnBranch1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "t_on_failure_1", natives = "t_on_failure") public int tOnFailure1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "t_on_reply_1", natives = "t_on_reply") public int tOnReply1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "t_precheck_trans_0", natives = "t_precheck_trans") public int tPrecheckTrans0(Fakes.Ctx c) { return 1; }
    @Export(value = "t_relay_0", natives = "t_relay") public int tRelay0(Fakes.Ctx c) { return 1; }
    @Export(value = "t_release_0", natives = "t_release") public int tRelease0(Fakes.Ctx c) { return 1; }
    @Export(value = "t_reply_2", natives = "t_reply") public int tReply2(Fakes.Ctx c, String a1, String a2) { return 1; }
    @Export(value = "xdbg_1", natives = "xdbg") public int xdbg1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "xhttp_reply_4", natives = "xhttp_reply") public int xhttpReply4(Fakes.Ctx c, String a1, String a2, String a3, String a4) { return 1; }
    @Export(value = "xlog_1", natives = "xlog") public int xlog1(Fakes.Ctx c, String a1) { return 1; }
    @Export(value = "xlog_2", natives = "xlog") public int xlog2(Fakes.Ctx c, String a1, String a2) { return 1; }
}
