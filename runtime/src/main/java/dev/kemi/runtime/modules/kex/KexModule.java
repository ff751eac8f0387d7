package dev.kemi.runtime.modules.kex;

import dev.kemi.api.Module;

/**
 * kex: its native functions (setsflag, setbflag, setdsturi, is_myself ...) are exported by the
 * core module here, so loading it only has to succeed.
 */
@Module(value = "kex", loadName = "kex")
public final class KexModule {
}
