package dev.kemi.runtime.modules.pv;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Pv;
import dev.kemi.api.PvName;
import dev.kemi.api.PvProvider;
import dev.kemi.api.PvSpec;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.RateLimitedLog;
import dev.kemi.runtime.modules.ScriptLog;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * KSR.pv: pseudo-variables by name. Resolved specs are cached per name string (so, as in
 * Kamailio, scripts should not build names dynamically). Bad names log an error and read as null.
 */
@Module("pv")
public final class PvModule implements dev.kemi.runtime.core.MessageFormats {
    private final PvProvider provider;
    private final Map<String, Pv> cache = new ConcurrentHashMap<>();
    private final RateLimitedLog failures = ScriptLog.throttled();
    /** Marks names that failed to resolve, so the error is logged once per name. */
    private static final Pv INVALID = ctx -> null;

    public PvModule(PvProvider provider) {
        this.provider = provider;
    }

    /** The proxy's pseudo-variables: for modules that print PV formats (log_prefix too), and for kemi check to validate literal names. */
    public PvProvider provider() {
        return provider;
    }

    /** The proxy's pseudo-variables (its own $var and $shv), for a module resolving a PV name while it runs. */
    public static PvProvider providerOf(dev.kemi.runtime.core.ProxyServices services) {
        // a real proxy always has the built-in pv module; a bare test harness gets PVs of its own
        return services.optionalApi(PvModule.class).map(PvModule::provider).orElseGet(StandardPvs::new);
    }

    @Override
    public java.util.function.Function<dev.kemi.runtime.core.MessageContext, String> compile(String format) {
        PvFormat f = new PvFormat(format, provider);
        return f::print;
    }

    private Pv pv(String name) {
        Pv p = cache.computeIfAbsent(name, n -> {
            try {
                return provider.resolve(PvSpec.parse(n));
            } catch (IllegalArgumentException e) {
                ScriptLog.log(ScriptLog.ERR, "invalid pv name '" + n + "': " + e.getMessage());
                return INVALID;
            }
        });
        return p == INVALID ? null : p;
    }

    private Object value(MessageContext ctx, String name) {
        Pv p = pv(name);
        if (p == null) return null;
        try {
            return p.get(ctx);
        } catch (RuntimeException e) {
            // a getter that fails on this message (a bug or a broken header): undefined, as Kamailio's pv_get failing
            failures.error("read " + name, "cannot read " + name + ": " + e, e);
            return null;
        }
    }

    @Export(kemiOnly = true)
    public Object get(MessageContext ctx, String name) { return value(ctx, name); }

    @Export(kemiOnly = true)
    public Object gete(MessageContext ctx, String name) {
        Object v = value(ctx, name);
        return v == null ? "" : v;
    }

    @Export(kemiOnly = true)
    public Object getw(MessageContext ctx, String name) {
        Object v = value(ctx, name);
        return v == null ? "<null>" : v;
    }

    @Export(kemiOnly = true)
    public Object getvn(MessageContext ctx, String name, int dflt) {
        Object v = value(ctx, name);
        return v == null ? Integer.valueOf(dflt) : v;
    }

    @Export(kemiOnly = true)
    public Object getvs(MessageContext ctx, String name, String dflt) {
        Object v = value(ctx, name);
        return v == null ? dflt : v;
    }

    @Export(kemiOnly = true, intValue = true)
    public int geti(MessageContext ctx, String name) {
        Object v = value(ctx, name);
        return v == null ? 0 : Transforms.toInt(v);
    }

    private boolean assign(MessageContext ctx, String name, Object value) {
        Pv p = pv(name);
        if (p == null || !p.writable()) {
            if (p != null) ScriptLog.log(ScriptLog.ERR, "pv " + name + " is read-only");
            return false;
        }
        try {
            p.set(ctx, value);
            return true;
        } catch (RuntimeException e) {
            failures.error("set " + name, "cannot set " + name + ": " + e.getMessage(), null);
            return false;
        }
    }

    @Export(kemiOnly = true)
    public boolean seti(MessageContext ctx, String name, int value) { return assign(ctx, name, value); }

    @Export(kemiOnly = true)
    public boolean sets(MessageContext ctx, String name, String value) { return assign(ctx, name, value); }

    @Export(kemiOnly = true)
    public boolean unset(MessageContext ctx, String name) { return assign(ctx, name, null); }

    /** True also for invalid names and unreadable values. */
    @Export(kemiOnly = true)
    public boolean is_null(MessageContext ctx, String name) { return value(ctx, name) == null; }

    // ---- pv.so's native tests on a variable (fixup_pvar: the name is passed, not its value)

    /** pv_isset($var(x)): 1 when it has a value, -1 when it is $null. */
    @Export(natives = "pv_isset", nativeOnly = true, nativeModule = "pv", returns = {1, -1})
    public int pv_isset(MessageContext ctx, @PvName String name) { return value(ctx, name) != null ? 1 : -1; }

    /** pv_unset($var(x)): sets it to $null; -1 when it cannot be set. */
    @Export(natives = "pv_unset", nativeOnly = true, nativeModule = "pv", returns = {1, -1})
    public int pv_unset(MessageContext ctx, @PvName String name) { return assign(ctx, name, null) ? 1 : -1; }

    /** is_int($var(x)): 1 when the value is an integer (a string of digits is not). */
    @Export(natives = "is_int", nativeOnly = true, nativeModule = "pv", returns = {1, -1})
    public int is_int(MessageContext ctx, @PvName String name) { return value(ctx, name) instanceof Integer ? 1 : -1; }

    /** typeof($var(x), "int"|"str"|"null"): only the type's first letter counts, as in pv.so. */
    @Export(natives = "typeof", nativeOnly = true, nativeModule = "pv", returns = {1, -1})
    public int typeof(MessageContext ctx, @PvName String name, String type) {
        if (type == null || type.isEmpty()) return -1;
        Object v = value(ctx, name);
        boolean match = switch (Character.toLowerCase(type.charAt(0))) {
            case 'i' -> v instanceof Integer;
            case 'n' -> v == null;
            case 's' -> v instanceof String;
            default -> false;
        };
        return match ? 1 : -1;
    }

    /** not_empty($var(x)): 1 for a non-empty string value (never for an integer). */
    @Export(natives = "not_empty", nativeOnly = true, nativeModule = "pv", returns = {1, -1})
    public int not_empty(MessageContext ctx, @PvName String name) {
        return value(ctx, name) instanceof String s && !s.isEmpty() ? 1 : -1;
    }
}
