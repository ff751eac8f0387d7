package dev.kemi.engine.polyglot;

import org.graalvm.polyglot.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one polyglot Engine of the process: every Python and JS context (all workers, all reload
 * generations, all tests) is created on it so compiled code and parsed sources are shared.
 */
public final class SharedEngine {
    private static final Logger LOG = LoggerFactory.getLogger(SharedEngine.class);

    private SharedEngine() {}

    private static final class Holder {
        static final Engine ENGINE = create();

        private static Engine create() {
            Engine e = Engine.newBuilder("python", "js").build();
            if ("Interpreted".equals(e.getImplementationName())) {
                LOG.warn("polyglot engine runs INTERPRETED (no JIT): start the JVM with -XX:+EnableJVMCI "
                        + "--upgrade-module-path=<graal jit jars>; scripts run ~10x slower");
            } else {
                LOG.info("polyglot engine: {} {}", e.getImplementationName(), e.getVersion());
            }
            return e;
        }
    }

    public static Engine get() {
        return Holder.ENGINE;
    }

    /** "GraalVM CE" with the JIT, "Interpreted" without. */
    public static String implementationName() {
        return get().getImplementationName();
    }
}
