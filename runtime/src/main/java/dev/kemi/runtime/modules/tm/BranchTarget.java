package dev.kemi.runtime.modules.tm;

/**
 * One destination t_relay() forks to: the R-URI or an appended branch, with its $du, Path, send
 * socket ("udp:ip:port" from lookup(), null: the message's) and branch flags.
 */
record BranchTarget(String uri, String dstUri, String path, String instance, String socket, int flags) {}
