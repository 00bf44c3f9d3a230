package dev.deliverycheck.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule fails on a deliberately bad fixture class, so a rule that silently matches nothing
 * (a typo in a package pattern, say) cannot pass unnoticed.
 */
class ArchitectureRulesTeethTest {
    private static JavaClasses fixtures;

    @BeforeAll
    static void importFixtures() {
        fixtures = new ClassFileImporter().importPackages("dev.deliverycheck.architecture.fixture");
    }

    static Stream<Arguments> rulesAndOffenders() {
        return Stream.of(
                Arguments.of("producer imports broker", (Supplier<ArchRule>) ArchitectureRules::producerAndBrokerDoNotImportEachOther, "ProducerImportingBroker"),
                Arguments.of("broker imports producer", (Supplier<ArchRule>) ArchitectureRules::brokerDoesNotImportProducer, "BrokerImportingProducer"),
                Arguments.of("protocol imports project code", (Supplier<ArchRule>) ArchitectureRules::protocolImportsNothingElse, "ProtocolImportingProducer"),
                Arguments.of("producer depends on sim", (Supplier<ArchRule>) ArchitectureRules::stateMachinesDoNotDependOnTheHarness, "ProducerUsingSim"),
                Arguments.of("checker reaches into broker", (Supplier<ArchRule>) ArchitectureRules::checkersReadOnlyTheHistory, "CheckerReadingBroker"),
                Arguments.of("sim depends on cli", (Supplier<ArchRule>) ArchitectureRules::nothingDependsOnTheCli, "SimUsingCli"),
                Arguments.of("producer reads the wall clock", (Supplier<ArchRule>) ArchitectureRules::noWallClockSleepOrUnseededRandom, "ProducerReadingWallClock"),
                Arguments.of("broker sleeps", (Supplier<ArchRule>) ArchitectureRules::noWallClockSleepOrUnseededRandom, "BrokerSleeping"),
                Arguments.of("producer uses unseeded Random", (Supplier<ArchRule>) ArchitectureRules::noWallClockSleepOrUnseededRandom, "ProducerWithUnseededRandom"),
                Arguments.of("producer calls nanoTime", (Supplier<ArchRule>) ArchitectureRules::noWallClockSleepOrUnseededRandom, "ProducerReadingNanoTime"),
                Arguments.of("sim runs on the system clock", (Supplier<ArchRule>) ArchitectureRules::deterministicPackagesDoNotUseTheSystemClock, "SimOnTheSystemClock"),
                Arguments.of("broker opens a file directly", (Supplier<ArchRule>) ArchitectureRules::noDirectFileOrSocketAccess, "BrokerOpeningFiles"),
                Arguments.of("broker starts a thread pool", (Supplier<ArchRule>) ArchitectureRules::onlyFileStorageStartsThreads, "BrokerStartingThreads"),
                Arguments.of("broker imports kafka-clients", (Supplier<ArchRule>) ArchitectureRules::onlyWireImportsKafka, "BrokerImportingKafka"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rulesAndOffenders")
    void ruleCatchesTheBadFixture(String description, Supplier<ArchRule> rule, String offender) {
        EvaluationResult result = rule.get().evaluate(fixtures);
        assertThat(result.hasViolation()).as(description).isTrue();
        assertThat(String.join("\n", result.getFailureReport().getDetails())).contains(offender);
    }
}
