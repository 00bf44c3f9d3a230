package dev.deliverycheck.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.env.Transport;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.NetworkDeliver;
import dev.deliverycheck.event.NetworkLoseRequest;
import dev.deliverycheck.event.NetworkLoseResponse;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.InitProducerIdRequest;
import dev.deliverycheck.protocol.InitProducerIdResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedNetworkTest {
    private static final int BROKER = 0;
    private static final int OTHER_BROKER = 1;
    private static final int PRODUCER = 100;

    private final VirtualClock clock = new VirtualClock(1_000);
    private final List<Event> events = new ArrayList<>();
    private final List<String> resets = new ArrayList<>();
    private final SimulatedNetwork network = new SimulatedNetwork(clock, events::add, FaultPlan.none(), 2,
            (node, peer) -> resets.add(node + "<-" + peer));

    private static InitProducerIdRequest request(int correlationId) {
        return new InitProducerIdRequest(correlationId, null, 60_000);
    }

    private static InitProducerIdResponse response(int correlationId) {
        return new InitProducerIdResponse(correlationId, Errors.NONE, 7, (short) 0);
    }

    private List<Integer> drainCorrelationIds() {
        List<Integer> ids = new ArrayList<>();
        while (!network.isEmpty()) {
            ids.add(network.take(network.deliverableHeads().get(0)).message().correlationId());
        }
        return ids;
    }

    @Test
    void aConnectionKeepsOrderAndAMessageIsDeliverableAfterTheLatency() {
        Transport producer = network.transportFor(PRODUCER);
        producer.send(BROKER, request(1));
        producer.send(BROKER, request(2));
        assertThat(network.deliverableHeads()).hasSize(1);
        assertThat(network.nextDeliveryMs()).isEqualTo(1_002);
        assertThat(drainCorrelationIds()).containsExactly(1, 2);
        assertThat(events).hasSize(2).allMatch(NetworkDeliver.class::isInstance);
        assertThat(network.nextDeliveryMs()).isEqualTo(Long.MAX_VALUE);
    }

    /**
     * The scheduler's shortcuts agree with the lists they replace: earliestHead is the first head
     * with the smallest deliverAtMs in deliverableHeads' order, inFlightCount counts inFlight().
     */
    @Test
    void earliestHeadAndInFlightCountsAgreeWithTheListsOnRandomTraffic() {
        dev.deliverycheck.env.SeededRandom random = new dev.deliverycheck.env.SeededRandom(11);
        int[] nodes = {BROKER, OTHER_BROKER, PRODUCER, PRODUCER + 1};
        int checks = 0;
        for (int step = 0; step < 5_000; step++) {
            int action = random.nextInt(10);
            if (action < 5) {
                int from = nodes[random.nextInt(nodes.length)];
                int to = nodes[random.nextInt(nodes.length)];
                network.setLatencyMs(random.nextInt(3));
                network.transportFor(from).send(to, random.nextInt(2) == 0 ? request(step) : response(step));
            } else if (action < 8 && !network.isEmpty()) {
                network.take(network.earliestHead());
            } else if (action == 8) {
                clock.advanceTo(clock.milliseconds() + random.nextInt(3));
            } else {
                network.loseOldest(e -> random.nextInt(3) == 0);
            }
            Envelope expected = null;
            for (Envelope e : network.deliverableHeads()) {
                if (expected == null || e.deliverAtMs() < expected.deliverAtMs()) {
                    expected = e;
                }
            }
            assertThat(network.earliestHead()).isSameAs(expected);
            List<Envelope> all = network.inFlight();
            long requests = all.stream().filter(Envelope::isRequest).count();
            assertThat(network.inFlightCount(true)).isEqualTo(requests);
            assertThat(network.inFlightCount(false)).isEqualTo(all.size() - requests);
            assertThat(network.isEmpty()).isEqualTo(all.isEmpty());
            checks += all.size() > 1 ? 1 : 0;
        }
        // Most checks must see a choice between several messages, or they prove little.
        assertThat(checks).isGreaterThan(2_500);
    }

    @Test
    void separateConnectionsMayBeDeliveredInEitherOrder() {
        network.transportFor(PRODUCER).send(BROKER, request(1));
        network.transportFor(PRODUCER).send(OTHER_BROKER, request(2));
        List<Envelope> heads = network.deliverableHeads();
        assertThat(heads).extracting(Envelope::destination).containsExactly(BROKER, OTHER_BROKER);
        network.take(heads.get(1));
        assertThat(drainCorrelationIds()).containsExactly(1);
    }

    @Test
    void onlyTheHeadOfAConnectionCanBeTaken() {
        Transport producer = network.transportFor(PRODUCER);
        producer.send(BROKER, request(1));
        producer.send(BROKER, request(2));
        Envelope second = network.inFlight().get(1);
        assertThatThrownBy(() -> network.take(second)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not the head");
    }

    @Test
    void losingTheOldestMatchingMessageRecordsALostRequestOrResponse() {
        network.transportFor(PRODUCER).send(BROKER, request(1));
        network.transportFor(BROKER).send(PRODUCER, response(1));
        assertThat(network.loseOldest(e -> !e.isRequest()).message().correlationId()).isEqualTo(1);
        assertThat(events).hasExactlyElementsOfTypes(NetworkLoseResponse.class, NetworkLoseRequest.class);
        assertThat(network.loseOldest(e -> true)).as("the request went with the broken connection").isNull();
        assertThat(network.requestsLost()).isEqualTo(1);
        assertThat(network.responsesLost()).isEqualTo(1);
    }

    /**
     * Issue 14: as on TCP, a lost message breaks its connection -- nothing sent behind it on that
     * connection arrives, and both ends are told (failed before: the later request was delivered).
     */
    @Test
    void aLostRequestBreaksItsConnection() {
        Transport producer = network.transportFor(PRODUCER);
        producer.send(BROKER, request(1));
        producer.send(BROKER, request(2));
        producer.send(OTHER_BROKER, request(3));
        assertThat(network.loseOldest(e -> e.message().correlationId() == 1)).isNotNull();
        assertThat(resets).containsExactly(PRODUCER + "<-" + BROKER, BROKER + "<-" + PRODUCER);
        assertThat(events).hasExactlyElementsOfTypes(NetworkLoseRequest.class, NetworkLoseRequest.class);
        assertThat(drainCorrelationIds()).as("only the other connection delivers").containsExactly(3);
    }

    /**
     * Brokers send requests both ways (markers one way, KIP-890 verification the other), each on
     * the connection its sender opened: a broker's answer to the other's request does not wait
     * behind its own earlier request to that broker, and the two are delivered in either order.
     */
    @Test
    void aRequestAndAnAnswerToTheSamePeerTravelOnDifferentConnections() {
        network.separateAnswerConnections();
        Transport coordinator = network.transportFor(BROKER);
        coordinator.send(OTHER_BROKER, request(1));
        coordinator.send(OTHER_BROKER, response(2));
        coordinator.send(OTHER_BROKER, request(3));
        assertThat(network.deliverableHeads()).hasSize(2);
        Envelope answer = network.deliverableHeads().stream().filter(e -> !e.isRequest()).findFirst().orElseThrow();
        network.take(answer);
        assertThat(drainCorrelationIds()).containsExactly(1, 3);
    }

    @Test
    void byDefaultARequestAndAnAnswerToTheSamePeerShareOneConnection() {
        Transport coordinator = network.transportFor(BROKER);
        coordinator.send(OTHER_BROKER, request(1));
        coordinator.send(OTHER_BROKER, response(2));
        assertThat(network.deliverableHeads()).hasSize(1);
        assertThat(drainCorrelationIds()).containsExactly(1, 2);
    }

    /** A reset still loses everything between the two nodes, in the order it was sent, both connections. */
    @Test
    void aResetLosesBothConnectionsBetweenTwoBrokersInSendOrder() {
        network.separateAnswerConnections();
        Transport coordinator = network.transportFor(BROKER);
        coordinator.send(OTHER_BROKER, request(1));
        coordinator.send(OTHER_BROKER, response(2));
        coordinator.send(OTHER_BROKER, request(3));
        network.transportFor(OTHER_BROKER).send(BROKER, request(4));
        coordinator.disconnect(OTHER_BROKER);
        assertThat(network.isEmpty()).isTrue();
        assertThat(events).extracting(e -> e instanceof NetworkLoseRequest l ? l.correlationId()
                : ((NetworkLoseResponse) e).correlationId()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aDisconnectLosesEverythingBetweenTheTwoNodesAndTellsBothEnds() {
        Transport producer = network.transportFor(PRODUCER);
        producer.send(BROKER, request(1));
        producer.send(OTHER_BROKER, request(2));
        network.transportFor(BROKER).send(PRODUCER, response(0));

        producer.disconnect(BROKER);

        assertThat(resets).containsExactly(PRODUCER + "<-" + BROKER, BROKER + "<-" + PRODUCER);
        assertThat(events).hasExactlyElementsOfTypes(NetworkLoseRequest.class, NetworkLoseResponse.class);
        assertThat(drainCorrelationIds()).as("the other connection is untouched").containsExactly(2);
    }

    @Test
    void messagesToADownNodeAreLostAndACrashDropsItsConnections() {
        network.transportFor(PRODUCER).send(BROKER, request(1));
        network.transportFor(PRODUCER).send(OTHER_BROKER, request(2));
        network.dropAllOf(BROKER);
        network.setDown(BROKER, true);
        network.transportFor(PRODUCER).send(BROKER, request(3));
        assertThat(network.requestsLost()).isEqualTo(2);
        network.setDown(BROKER, false);
        network.transportFor(PRODUCER).send(BROKER, request(4));
        assertThat(drainCorrelationIds()).containsExactly(2, 4);
    }

    @Test
    void aLossDrawnByTheFaultPlanBreaksTheConnection() {
        SimulatedNetwork lossy = new SimulatedNetwork(clock, events::add,
                new FaultPlan(1.0, 0.0, new dev.deliverycheck.env.SeededRandom(1)), 0,
                (node, peer) -> resets.add(node + "<-" + peer));
        lossy.transportFor(BROKER).send(PRODUCER, response(1));
        lossy.transportFor(PRODUCER).send(BROKER, request(2));
        assertThat(lossy.isEmpty()).as("the queued response went with the broken connection").isTrue();
        assertThat(lossy.requestsLost()).isEqualTo(1);
        assertThat(lossy.responsesLost()).isEqualTo(1);
        assertThat(resets).hasSize(2);
    }
}
