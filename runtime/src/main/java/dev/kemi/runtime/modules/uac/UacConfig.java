package dev.kemi.runtime.modules.uac;

/** The uac modparams, with Kamailio 5.6.3's defaults. */
final class UacConfig {
    String rrFromParam = "vsf";
    String rrToParam = "vst";
    int restoreMode = Replacer.AUTO;
    String passwd = "";
    String authUsernameAvp, authRealmAvp, authPasswordAvp;
}
