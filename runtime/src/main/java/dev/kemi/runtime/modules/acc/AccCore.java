package dev.kemi.runtime.modules.acc;

/** The six core values of an accounting record (core2strar), shared by the log and the DB backend; null = none. */
record AccCore(String method, String fromTag, String toTag, String callId, String code, String reason) {}
