package dev.kemi.runtime.modules.nathelper;

import dev.kemi.runtime.transport.ListenSocket;

/** nathelper's modparams, as the functions and the pinger read them after init. */
final class NathelperConfig {
    int natpingInterval;
    boolean pingNatedOnly;
    String nortpproxy = "a=nortpproxy:yes";
    /** AVP name of received_avp, or null. */
    String receivedAvp;
    String forceSocketSpec;
    ListenSocket forceSocket;
    String sippingFrom = "";
    String sippingMethod = "OPTIONS";
    /** Bit masks (0 when the flag is unset), as mod_init turns the flag numbers into. */
    int sippingFlag;
    int natpingDisableFlag;
    int natpingProcesses = 1;
    boolean keepOldMediaIp = true;
    boolean filterServerId;
    /** nat_addr_mode 1: 192.0.0.0/24 counts as private too. */
    boolean extraNets = true;
    /** ";alias=" or the alias_name one. */
    String aliasParam = ";alias=";
    /** nathelper.enable_ping. */
    volatile boolean pingEnabled = true;
}
