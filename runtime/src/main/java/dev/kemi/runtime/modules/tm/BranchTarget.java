package dev.kemi.runtime.modules.tm;

/** One destination t_relay() forks to: the R-URI or an appended branch, with its $du and Path. */
record BranchTarget(String uri, String dstUri, String path, String instance) {}
