package dev.kemi.runtime.modules.tm;

/** What our Via branch (z9hG4bK + transaction id + "." + branch index) names. */
record ViaBranchId(String txId, int index) {}
