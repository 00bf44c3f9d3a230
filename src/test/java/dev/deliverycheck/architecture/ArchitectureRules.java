package dev.deliverycheck.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import java.util.List;

/**
 * DESIGN.md's dependency rules as ArchUnit rules. Package patterns are relative ({@code ..producer..}),
 * so the same rules run on the real code and on the deliberately bad fixtures in
 * {@code dev.deliverycheck.architecture.fixture}, which prove each rule can fail.
 */
final class ArchitectureRules {
    private ArchitectureRules() {
    }

    static final String PRODUCER = "..producer..";
    static final String BROKER = "..broker..";

    static ArchRule producerAndBrokerDoNotImportEachOther() {
        return noClasses().that().resideInAPackage(PRODUCER).should().dependOnClassesThat().resideInAPackage(BROKER)
                .as("producer never imports broker")
                .because("producer and broker meet only in protocol");
    }

    static ArchRule brokerDoesNotImportProducer() {
        return noClasses().that().resideInAPackage(BROKER).should().dependOnClassesThat().resideInAPackage(PRODUCER)
                .as("broker never imports producer")
                .because("producer and broker meet only in protocol");
    }

    static ArchRule protocolImportsNothingElse() {
        return ArchRuleDefinition.classes().that().resideInAPackage("..protocol..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("..protocol..", "java..")
                .as("protocol imports nothing else from the project");
    }

    static ArchRule stateMachinesDoNotDependOnTheHarness() {
        return noClasses().that().resideInAnyPackage(PRODUCER, BROKER)
                .should().dependOnClassesThat().resideInAnyPackage("..sim..", "..explore..", "..check..", "..cli..", "..tlc..")
                .as("producer and broker do not depend on the simulation, checkers or CLI")
                .because("sim wires producer and broker together; neither depends on sim");
    }

    static ArchRule checkersReadOnlyTheHistory() {
        return ArchRuleDefinition.classes().that().resideInAPackage("..check..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("..check..", "..event..", "..protocol..", "..env..", "java..")
                .as("check reads only the event history")
                .because("the same checkers must judge any system that produces a history");
    }

    static ArchRule nothingDependsOnTheCli() {
        return noClasses().that().resideOutsideOfPackage("..cli..")
                .should().dependOnClassesThat().resideInAPackage("..cli..")
                .as("cli is the top: nothing depends on it");
    }

    /** Producer and broker see time and randomness only through env.Clock / env.RandomSource. */
    static ArchRule noWallClockSleepOrUnseededRandom() {
        DescribedPredicate<JavaMethodCall> forbidden = new DescribedPredicate<>(
                "System.currentTimeMillis, System.nanoTime, Thread.sleep or ThreadLocalRandom") {
            @Override
            public boolean test(JavaMethodCall call) {
                String owner = call.getTargetOwner().getName();
                String name = call.getName();
                return (owner.equals("java.lang.System") && (name.equals("currentTimeMillis") || name.equals("nanoTime")))
                        || (owner.equals("java.lang.Thread") && name.equals("sleep"))
                        || owner.equals("java.util.concurrent.ThreadLocalRandom")
                        || owner.equals("java.time.Instant") && name.equals("now")
                        || owner.equals("java.lang.Math") && name.equals("random");
            }
        };
        return noClasses().that().resideInAnyPackage(PRODUCER, BROKER)
                .should().callMethodWhere(forbidden)
                .orShould().callConstructor(java.util.Random.class)
                .orShould().callConstructor(java.util.SplittableRandom.class)
                .orShould().callConstructor(java.security.SecureRandom.class)
                .as("producer and broker never read the wall clock, sleep, or use unseeded randomness")
                .because("a seed must reproduce a simulated run exactly");
    }

    /**
     * The real-time pieces (the system clock and what runs on it: {@code local}, {@code bench}) stay
     * out of the packages a seed must reproduce exactly.
     */
    static ArchRule deterministicPackagesDoNotUseTheSystemClock() {
        return noClasses().that().resideInAnyPackage(PRODUCER, BROKER, "..sim..", "..explore..", "..check..")
                .should().dependOnClassesThat().haveSimpleName("SystemClock")
                .as("producer, broker, sim, explore and check never use SystemClock")
                .because("a simulated run gets its time from a virtual clock, so that a seed replays it exactly");
    }

    /** Files and sockets only through the Storage and Transport interfaces; FileStorage is the one file adapter. */
    static ArchRule noDirectFileOrSocketAccess() {
        return noClasses().that().resideInAnyPackage(PRODUCER, BROKER)
                .and().doNotHaveSimpleName("FileStorage")
                .should().dependOnClassesThat(directIo())
                .as("producer and broker touch files and sockets only through Storage and Transport")
                .because("the simulation substitutes a simulated disk and network");
    }

    private static DescribedPredicate<JavaClass> directIo() {
        List<String> packages = List.of("java.net", "java.nio.channels", "java.nio.file");
        List<String> classes = List.of("java.io.File", "java.io.FileInputStream", "java.io.FileOutputStream",
                "java.io.RandomAccessFile", "java.io.FileReader", "java.io.FileWriter");
        return new DescribedPredicate<>("file or socket classes") {
            @Override
            public boolean test(JavaClass c) {
                return packages.contains(c.getPackageName()) || classes.contains(c.getName());
            }
        };
    }

    /**
     * Threads and thread pools stay out of the packages a seed must reproduce exactly; FileStorage, the real-disk
     * adapter the simulation never uses, may fsync on a pool of its own.
     */
    static ArchRule onlyFileStorageStartsThreads() {
        List<String> classes = List.of("java.lang.Thread", "java.util.Timer", "java.util.concurrent.Executor",
                "java.util.concurrent.ExecutorService", "java.util.concurrent.Executors",
                "java.util.concurrent.ThreadPoolExecutor", "java.util.concurrent.ScheduledExecutorService",
                "java.util.concurrent.ScheduledThreadPoolExecutor", "java.util.concurrent.ForkJoinPool");
        return noClasses().that().resideInAnyPackage(PRODUCER, BROKER, "..sim..", "..explore..", "..check..")
                .and().doNotHaveSimpleName("FileStorage")
                .should().dependOnClassesThat(new DescribedPredicate<JavaClass>("threads or thread pools") {
                    @Override
                    public boolean test(JavaClass c) {
                        return classes.contains(c.getName());
                    }
                })
                .as("producer, broker, sim, explore and check start no threads (FileStorage's fsync pool aside)")
                .because("a seed must reproduce a simulated run exactly, which another thread's timing would not");
    }

    static List<ArchRule> all() {
        return List.of(producerAndBrokerDoNotImportEachOther(), brokerDoesNotImportProducer(),
                protocolImportsNothingElse(), stateMachinesDoNotDependOnTheHarness(), checkersReadOnlyTheHistory(),
                nothingDependsOnTheCli(), noWallClockSleepOrUnseededRandom(), noDirectFileOrSocketAccess(),
                deterministicPackagesDoNotUseTheSystemClock(), onlyFileStorageStartsThreads(),
                onlyWireImportsKafka());
    }

    /** kafka-clients is an internal API that changes between versions: one package absorbs it. */
    static ArchRule onlyWireImportsKafka() {
        return noClasses().that().resideOutsideOfPackage("..wire..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.kafka..")
                .as("only wire imports org.apache.kafka")
                .because("a kafka-clients upgrade must touch one place");
    }
}
