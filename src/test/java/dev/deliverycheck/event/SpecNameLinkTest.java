package dev.deliverycheck.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.deliverycheck.tlc.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one vocabulary, checked: every Java event has a TLA+ action of its name (or is a documented
 * trace-only event) and a Java home marked {@link SpecAction}; every action in a guarantee spec's
 * {@code Next} is a Java event (or a documented model-only step); every name a {@code @SpecAction}
 * or a trace spec uses is one of them.
 */
class SpecNameLinkTest {
    private static final String[] SPECS = {"AtMostOnce", "AtLeastOnce", "Idempotent", "ExactlyOnce"};

    /** Actions of the specs that have no Java event of their own, and why. */
    private static final Map<String, String> MODEL_ONLY = Map.of(
            "CoordinatorSendMarker", "Java sends and writes a marker in one step: CoordinatorWriteMarker",
            "BrokerRejectMarker", "a stale marker refused by the leader; the Java leader drops it without an event",
            "NetworkLoseMarker", "the simulator never loses WriteTxnMarkers on their own (a crash drops them)",
            "ProducerSendRequest", "Java logs a request of several batches as one ProducerSendBatch/ProducerRetry "
                    + "per batch; trace validation takes the request at the first (TraceCommon)");

    /** Java events with no action in a spec's Next, and what they are in trace validation. */
    private static final Map<String, String> TRACE_ONLY = Map.of(
            "BrokerRecoverPartition", "decides which prefix of an unflushed tail a BrokerCrash kept",
            "BrokerVerifyPartition", "the KIP-890 verdict, folded into BrokerAppend/BrokerReject in the spec",
            "ConsumerFetch", "a read: the specs' reader views are state functions, not actions");

    /** Message tags the trace specs use besides event names (Java message types and internal names). */
    private static final Set<String> TRACE_TAGS = Set.of("AddPartitions", "EndTxn", "EndTxnResult", "InitResult",
            "PrepareAbort", "PrepareCommit", "ProduceRequest", "ProduceResponse");

    private static final Pattern ACTION = Pattern.compile("\\b((?:Producer|Broker|Coordinator|Network|Consumer)[A-Z]\\w*)\\b");
    private static final Pattern QUOTED = Pattern.compile("\"([A-Z][a-z]+[A-Z][A-Za-z]+)\"");

    private static final String BEHIND = "Behind";

    private static Set<String> events;
    private static Map<String, Set<String>> homes;

    @BeforeAll
    static void read() {
        events = Arrays.stream(Event.class.getPermittedSubclasses()).map(Class::getSimpleName)
                .collect(Collectors.toCollection(TreeSet::new));
        JavaClasses main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.deliverycheck");
        homes = new TreeMap<>();
        for (var c : main) {
            for (JavaCodeUnit unit : c.getCodeUnits()) {
                if (unit.isAnnotatedWith(SpecAction.class)) {
                    for (String name : unit.getAnnotationOfType(SpecAction.class).value()) {
                        homes.computeIfAbsent(name, n -> new TreeSet<>()).add(c.getSimpleName() + "." + unit.getName());
                    }
                }
            }
        }
    }

    private static String tla(String module) throws IOException {
        return Files.readString(root().resolve(module));
    }

    private static Path root() {
        return ProjectRoot.locate();
    }

    /**
     * The actor-named actions called in a spec's Next. {@code <Action>Behind} (MultiBatch.tla) is
     * that action at a position behind the first batch of its request or answer of its response:
     * the same event.
     */
    private static Set<String> nextActions(String spec) throws IOException {
        String text = tla("tla/" + spec + ".tla");
        int at = text.indexOf("\nNext ==");
        assertThat(at).as("%s.tla defines Next", spec).isPositive();
        int end = text.indexOf("\n\n", at + 1);
        Matcher m = ACTION.matcher(text.substring(at, end < 0 ? text.length() : end));
        Set<String> names = new TreeSet<>();
        while (m.find()) {
            names.add(m.group(1).endsWith(BEHIND) ? m.group(1).substring(0, m.group(1).length() - BEHIND.length())
                    : m.group(1));
        }
        return names;
    }

    private static Set<String> allActions() throws IOException {
        Set<String> all = new TreeSet<>();
        for (String spec : SPECS) {
            Set<String> actions = nextActions(spec);
            assertThat(actions).as("the actions read from %s's Next", spec).contains("ProducerSend", "BrokerAppend");
            all.addAll(actions);
        }
        return all;
    }

    @Test
    void everyActionOfTheSpecsIsAJavaEventOrADocumentedModelOnlyStep() throws IOException {
        Set<String> unlinked = new TreeSet<>(allActions());
        unlinked.removeAll(events);
        assertThat(unlinked).as("actions in Next without a Java event").isEqualTo(MODEL_ONLY.keySet());
    }

    @Test
    void everyJavaEventIsAnActionOfTheSpecsOrADocumentedTraceOnlyEvent() throws IOException {
        Set<String> unlinked = new TreeSet<>(events);
        unlinked.removeAll(allActions());
        assertThat(unlinked).as("Java events no spec's Next names").isEqualTo(TRACE_ONLY.keySet());
    }

    @Test
    void everyJavaEventHasAHomeMarkedWithItsName() {
        assertThat(homes.keySet()).as("events with a @SpecAction method").containsAll(events);
        for (String event : events) {
            assertThat(homes.get(event)).as("the Java home of %s", event).isNotEmpty();
        }
    }

    @Test
    void everySpecActionNamesAnEventOrAnAction() throws IOException {
        Set<String> known = new TreeSet<>(events);
        known.addAll(allActions());
        assertThat(known).as("names used by @SpecAction").containsAll(homes.keySet());
    }

    @Test
    void everyNameTheTraceSpecsMatchIsAJavaEventOrAMessageTag() throws IOException {
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.list(root().resolve("tla/trace"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".tla")).toList()) {
                Matcher m = QUOTED.matcher(Files.readString(f));
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(events);
        unknown.removeAll(TRACE_TAGS);
        // a failed send's error code is the producer's exception class when no broker error names it
        unknown.removeIf(SpecNameLinkTest::isProducerError);
        assertThat(unknown).as("quoted names in tla/trace that are neither events, message tags nor producer errors")
                .isEmpty();
        assertThat(used).as("every event is matched by the trace specs").containsAll(events);
    }

    /** A class of {@code dev.deliverycheck.producer.errors} named {@code name}, as ProducerSendFailed reports it. */
    private static boolean isProducerError(String name) {
        try {
            Class.forName("dev.deliverycheck.producer.errors." + name);
            return name.endsWith("Exception");
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
