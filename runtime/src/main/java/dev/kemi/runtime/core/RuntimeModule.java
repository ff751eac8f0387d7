package dev.kemi.runtime.core;

/** A module that needs the running proxy (sender, sockets, timers, other modules). */
public interface RuntimeModule {
    /** Called once after all modparams are applied and before traffic starts. */
    void init(ProxyServices services);

    /** Called once when the proxy instance stops, after traffic has ended: releases what init started. */
    default void shutdown() {}
}
