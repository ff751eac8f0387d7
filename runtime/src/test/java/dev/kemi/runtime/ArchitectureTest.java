package dev.kemi.runtime;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.kemi.api.Module;
import dev.kemi.engine.cfg.ListenSpec;
import dev.kemi.runtime.boot.ProxyLoader;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module contract and the layering, by construction: modules hold no static mutable state
 * (two proxies in one JVM share nothing), and dependencies point one way — transport (bytes,
 * sockets) under core (messages, routing) under modules, engine for scripts, and cli / compare
 * on top, composed through boot.
 */
class ArchitectureTest {
    /** kemi-api, engine and runtime, read from where they were loaded (scanning every jar for dev.kemi is slow). */
    private static final JavaClasses KEMI = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importUrls(Stream.of(Module.class, ListenSpec.class, ProxyLoader.class)
                    .map(c -> c.getProtectionDomain().getCodeSource().getLocation()).toList());

    private static final String MODULES = "dev.kemi.runtime.modules..";

    @Test
    void moduleStaticFieldsAreFinal() {
        fields().that().areDeclaredInClassesThat().resideInAPackage(MODULES).and().areStatic()
                .should().beFinal()
                .because("module state belongs to one proxy's module instance")
                .check(KEMI);
    }

    @Test
    void moduleStaticFieldsHoldNothingMutable() {
        fields().that().areDeclaredInClassesThat().resideInAPackage(MODULES).and().areStatic()
                .and().doNotHaveModifier(JavaModifier.SYNTHETIC) // enum $VALUES, switch maps
                .should(holdAnImmutableValue())
                .because("a static collection, ThreadLocal, atomic or module instance is shared by every proxy in the JVM")
                .check(KEMI);
    }

    @Test
    void moduleStaticInitialisersBuildNoMutableCollections() {
        classes().that().resideInAPackage(MODULES)
                .should(notBuildMutableStateStatically())
                .because("List.of / Map.of / Set.of are the immutable ways to build static tables")
                .check(KEMI);
    }

    @Test
    void transportKnowsBytesAndSockets() {
        noClasses().that().resideInAPackage("dev.kemi.runtime.transport..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.kemi.runtime.core..", MODULES,
                        "dev.kemi.runtime.rpc..", "dev.kemi.runtime.compare..", "dev.kemi.runtime.cli..",
                        "dev.kemi.runtime.boot..", "dev.kemi.engine..")
                .check(KEMI);
    }

    @Test
    void sipKnowsOnlyMessages() {
        noClasses().that().resideInAPackage("dev.kemi.runtime.sip..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.kemi.runtime.transport..", "dev.kemi.runtime.core..",
                        MODULES, "dev.kemi.runtime.rpc..", "dev.kemi.runtime.compare..", "dev.kemi.runtime.cli..",
                        "dev.kemi.runtime.boot..", "dev.kemi.engine..")
                .check(KEMI);
    }

    /** core reads the listen= syntax that kemi check also validates (ListenSpec); no other engine class. */
    @Test
    void coreKnowsMessagesAndRoutingNotModulesOrScripts() {
        noClasses().that().resideInAPackage("dev.kemi.runtime.core..")
                .should().dependOnClassesThat(resideInAnyPackage(MODULES, "dev.kemi.runtime.rpc..",
                        "dev.kemi.runtime.compare..", "dev.kemi.runtime.cli..", "dev.kemi.runtime.boot..", "dev.kemi.engine..")
                        .and(not(equivalentTo(ListenSpec.class))))
                .check(KEMI);
    }

    @Test
    void modulesDoNotKnowScriptEnginesOrCompositionRoots() {
        noClasses().that().resideInAPackage(MODULES)
                .should().dependOnClassesThat().resideInAnyPackage("dev.kemi.engine..", "dev.kemi.runtime.cli..",
                        "dev.kemi.runtime.compare..", "dev.kemi.runtime.boot..")
                .check(KEMI);
    }

    @Test
    void theMediaRelayIsALibrary() {
        noClasses().that().resideInAPackage("dev.kemi.runtime.rtpproxy..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.kemi.runtime.core..", MODULES,
                        "dev.kemi.runtime.compare..", "dev.kemi.runtime.cli..", "dev.kemi.runtime.boot..", "dev.kemi.engine..")
                .check(KEMI);
    }

    @Test
    void onlyCliIsOnTop() {
        noClasses().that().resideOutsideOfPackage("dev.kemi.runtime.cli..")
                .should().dependOnClassesThat().resideInAPackage("dev.kemi.runtime.cli..")
                .check(KEMI);
        noClasses().that().resideInAPackage("dev.kemi.runtime.boot..")
                .should().dependOnClassesThat().resideInAPackage("dev.kemi.runtime.compare..")
                .check(KEMI);
    }

    @Test
    void engineAndApiDoNotKnowTheRuntime() {
        noClasses().that().resideInAnyPackage("dev.kemi.engine..", "dev.kemi.api..")
                .should().dependOnClassesThat().resideInAPackage("dev.kemi.runtime..")
                .check(KEMI);
        noClasses().that().resideInAPackage("dev.kemi.api..")
                .should().dependOnClassesThat().resideInAPackage("dev.kemi.engine..")
                .check(KEMI);
    }

    // ------------------------------------------------------------------ conditions

    private static boolean mutableType(JavaClass t) {
        if (t.isArray()) return true;
        if (t.isAnnotatedWith(Module.class)) return true;
        if (!t.getPackageName().startsWith("java.")) return false;
        // JDK classes are not imported (archunit.properties): ask the class itself
        Class<?> c = t.reflect();
        if (ThreadLocal.class.isAssignableFrom(c) || c.getPackageName().equals(AtomicInteger.class.getPackageName())) return true;
        // a concrete collection class (HashMap, ArrayList, ConcurrentHashMap ...); the interfaces
        // are checked at their construction in the static initialiser
        boolean collection = Collection.class.isAssignableFrom(c) || Map.class.isAssignableFrom(c);
        return collection && !c.isInterface();
    }

    private static ArchCondition<JavaField> holdAnImmutableValue() {
        return new ArchCondition<>("hold an immutable value") {
            @Override
            public void check(JavaField f, ConditionEvents events) {
                if (mutableType(f.getRawType())) {
                    events.add(SimpleConditionEvent.violated(f, f.getFullName() + " is of mutable type " + f.getRawType().getName()));
                }
            }
        };
    }

    private static ArchCondition<JavaClass> notBuildMutableStateStatically() {
        return new ArchCondition<>("not build mutable collections in a static initialiser") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                if (c.getStaticInitializer().isEmpty()) return;
                JavaCodeUnit init = c.getStaticInitializer().get();
                init.getConstructorCallsFromSelf().forEach(call -> {
                    JavaClass owner = call.getTargetOwner();
                    if (owner.getPackageName().startsWith("java.") && mutableType(owner)) {
                        events.add(SimpleConditionEvent.violated(c, c.getName() + " builds a static " + owner.getName()
                                + " " + call.getSourceCodeLocation()));
                    }
                });
                init.getMethodCallsFromSelf().forEach(call -> {
                    if (call.getTargetOwner().isEquivalentTo(ThreadLocal.class) && call.getName().equals("withInitial")) {
                        events.add(SimpleConditionEvent.violated(c, c.getName() + " builds a static ThreadLocal "
                                + call.getSourceCodeLocation()));
                    }
                });
            }
        };
    }
}
