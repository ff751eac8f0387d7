package dev.kemi.api;

/** KEMI parameter and return types, as Kamailio's SR_KEMIP_* (plus STR for parameters). */
public enum KemiType {
    NONE, INT, BOOL, STR, XVAL;

    /** The name `*.api_list` prints. */
    public String apiName() {
        return name().toLowerCase();
    }
}
