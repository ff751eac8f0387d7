package dev.kemi.runtime.core;

/** Product name and version, for `kemi version` and the Server header. */
public final class Version {
    public static final String NAME = "kemi";
    public static final String VERSION = "0.1.0";
    /** The Kamailio release whose behaviour we follow. */
    public static final String KAMAILIO = "5.6.3";

    private Version() {}
}
