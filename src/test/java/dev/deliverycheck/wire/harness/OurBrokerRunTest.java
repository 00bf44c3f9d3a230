package dev.deliverycheck.wire.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Java client against deliverycheck's own wire broker, run as a child process ({@link OurBrokerProcess}),
 * through the fault proxy: the shared {@link RealClientScenarios}, and the child process's own contract.
 */
class OurBrokerRunTest extends RealClientScenarios {
    private static OurBrokerProcess broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = OurBrokerProcess.start(1);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
            assertThat(broker.running()).isFalse();
            assertThat(broker.dataDir().getParent()).as("the temporary directory is deleted").doesNotExist();
        }
    }

    @Override
    Target target() {
        return Target.started(broker);
    }

    @Test
    void aServingBrokerPrintsItsTwoLinesAndNoLoggingNotice() throws Exception {
        // Requests make kafka-clients' message classes touch SLF4J, which without a binding prints a three-line notice.
        Target.started(broker).requireReachable();
        assertThat(Files.readAllLines(broker.output())).as("the broker's output").hasSize(2)
                .anySatisfy(l -> assertThat(l).isEqualTo("port=" + broker.port()))
                .noneSatisfy(l -> assertThat(l).startsWith("SLF4J"));
    }

    @Test
    void aKilledBrokerRestartsOnTheSameDataAndPort() throws Exception {
        int port = broker.port();
        broker.kill();
        assertThat(broker.running()).isFalse();
        broker.restart();
        assertThat(broker.running()).isTrue();
        assertThat(broker.port()).isEqualTo(port);
        assertThat(Files.isDirectory(broker.dataDir())).isTrue();
        Target.started(broker).requireReachable();
    }
}
