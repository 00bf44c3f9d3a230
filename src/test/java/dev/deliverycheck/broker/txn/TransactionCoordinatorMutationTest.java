package dev.deliverycheck.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.env.testkit.CapturingTransport;
import dev.deliverycheck.env.testkit.CapturingTransport.Sent;
import dev.deliverycheck.event.CoordinatorAddPartitions;
import dev.deliverycheck.event.CoordinatorComplete;
import dev.deliverycheck.event.CoordinatorFence;
import dev.deliverycheck.event.CoordinatorInitProducerId;
import dev.deliverycheck.event.CoordinatorPrepare;
import dev.deliverycheck.event.CoordinatorTimeoutAbort;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.protocol.AddPartitionsToTxnRequest;
import dev.deliverycheck.protocol.AddPartitionsToTxnResponse;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.ControlType;
import dev.deliverycheck.protocol.EndTxnRequest;
import dev.deliverycheck.protocol.EndTxnResponse;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.InitProducerIdRequest;
import dev.deliverycheck.protocol.InitProducerIdResponse;
import dev.deliverycheck.protocol.Message;
import dev.deliverycheck.protocol.TopicPartition;
import dev.deliverycheck.protocol.WriteTxnMarkersRequest;
import dev.deliverycheck.protocol.WriteTxnMarkersResponse;
import dev.deliverycheck.sim.SimulatedDisk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The transaction coordinator driven directly (no broker around it): request validation, the
 * epoch rules of InitProducerId, which AddPartitions change the log, durability of Complete*, and
 * the bookkeeping of marker requests (errors, resends, late and stray answers). Written for the
 * mutants PIT ({@code -Pmutation}) found unpinned by the broker-level tests.
 */
class TransactionCoordinatorMutationTest {
    private static final ClusterMetadata CLUSTER = ClusterMetadata.of(3, "t", 6);
    private static final String TX = "tx";
    private static final int ME = CLUSTER.coordinatorFor(TX);
    /** A second transactional id coordinated by the same broker. */
    private static final String TX2 = IntStream.range(0, 1000).mapToObj(i -> "tx-" + i)
            .filter(id -> CLUSTER.coordinatorFor(id) == ME).findFirst().orElseThrow();
    private static final int PRODUCER = 100;
    private static final int REQUEST_TIMEOUT_MS = 30_000;
    private static final int RETRY_BACKOFF_MS = 100;

    private final SimulatedDisk disk = new SimulatedDisk();
    private final CapturingTransport transport = new CapturingTransport();
    private final List<Event> events = new ArrayList<>();
    private long now = 1_000;
    private int correlationIds;

    private TransactionCoordinator coordinator(boolean fencing) {
        return coordinator(ME, fencing);
    }

    private TransactionCoordinator coordinator(int brokerId, boolean fencing) {
        return new TransactionCoordinator(brokerId, CLUSTER,
                new TransactionCoordinator.Settings(900_000, REQUEST_TIMEOUT_MS, RETRY_BACKOFF_MS, fencing, true), disk,
                () -> now, transport, events::add, () -> ++correlationIds);
    }

    private static TopicPartition tp(int partition) {
        return new TopicPartition("t", partition);
    }

    private <T extends Message> T last(Class<T> type) {
        List<Sent> sent = transport.all();
        for (int i = sent.size() - 1; i >= 0; i--) {
            if (type.isInstance(sent.get(i).message())) {
                return type.cast(sent.get(i).message());
            }
        }
        throw new AssertionError("nothing of type " + type.getSimpleName() + " sent");
    }

    private List<Sent> markerRequests() {
        return transport.all().stream().filter(s -> s.message() instanceof WriteTxnMarkersRequest).toList();
    }

    private <T extends Event> List<T> eventsOf(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private InitProducerIdResponse init(TransactionCoordinator c, String id, int timeoutMs) {
        c.handleInitProducerId(PRODUCER, new InitProducerIdRequest(1, id, timeoutMs));
        return last(InitProducerIdResponse.class);
    }

    private Errors add(TransactionCoordinator c, String id, InitProducerIdResponse p, TopicPartition... partitions) {
        c.handleAddPartitions(PRODUCER, new AddPartitionsToTxnRequest(2, id, p.producerId(), p.producerEpoch(),
                List.of(partitions), false));
        return last(AddPartitionsToTxnResponse.class).error();
    }

    private Errors end(TransactionCoordinator c, String id, InitProducerIdResponse p, boolean commit) {
        return end(c, id, p.producerId(), p.producerEpoch(), commit);
    }

    private Errors end(TransactionCoordinator c, String id, long producerId, short epoch, boolean commit) {
        c.handleEndTxn(PRODUCER, new EndTxnRequest(3, id, producerId, epoch, commit));
        return last(EndTxnResponse.class).error();
    }

    private Errors add(TransactionCoordinator c, long producerId, short epoch, boolean verifyOnly, TopicPartition... partitions) {
        c.handleAddPartitions(PRODUCER, new AddPartitionsToTxnRequest(2, TX, producerId, epoch, List.of(partitions), verifyOnly));
        return last(AddPartitionsToTxnResponse.class).error();
    }

    private void answerAll(TransactionCoordinator c) {
        for (Sent request : markerRequests()) {
            answer(c, request, Errors.NONE);
        }
    }

    private boolean answer(TransactionCoordinator c, Sent request, Errors error) {
        WriteTxnMarkersRequest r = (WriteTxnMarkersRequest) request.message();
        Map<TopicPartition, Errors> results = new HashMap<>();
        r.partitions().forEach(tp -> results.put(tp, error));
        return c.handleMarkersResponse(request.destination(), new WriteTxnMarkersResponse(r.correlationId(), results));
    }

    @Test
    void theTransactionTimeoutMustBePositiveAndWithinTheBrokersMaximum() {
        TransactionCoordinator c = coordinator(true);
        assertThat(init(c, TX, 0).error()).isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);
        assertThat(init(c, TX, 900_001).error()).isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);
        assertThat(init(c, TX, 1).error()).isEqualTo(Errors.NONE);
        assertThat(init(c, TX, 900_000).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void reinitialisingFencesTheOldEpochDurably() {
        TransactionCoordinator c = coordinator(true);
        InitProducerIdResponse first = init(c, TX, 60_000);
        InitProducerIdResponse second = init(c, TX, 60_000);
        assertThat(second.producerId()).isEqualTo(first.producerId());
        assertThat(second.producerEpoch()).isEqualTo((short) 1);
        assertThat(eventsOf(CoordinatorFence.class))
                .containsExactly(new CoordinatorFence(ME, TX, first.producerId(), (short) 0, (short) 1));
        disk.crash();
        assertThat(coordinator(true).transaction(TX).epoch()).as("the bumped epoch survives a crash").isEqualTo((short) 1);
    }

    @Test
    void anExhaustedEpochStartsANewProducerIdAtEpochZero() {
        new TransactionLog(disk).write(TransactionMetadata.fresh(TX, 7, (short) (Short.MAX_VALUE - 1), 60_000));
        InitProducerIdResponse r = init(coordinator(true), TX, 60_000);
        assertThat(r.error()).isEqualTo(Errors.NONE);
        assertThat(r.producerId()).isNotEqualTo(7);
        assertThat(r.producerEpoch()).isZero();
    }

    @Test
    void initProducerIdWhileMarkersArePendingIsConcurrent() {
        TransactionCoordinator c = coordinator(true);
        InitProducerIdResponse p = init(c, TX, 60_000);
        assertThat(add(c, TX, p, tp(0))).isEqualTo(Errors.NONE);
        assertThat(end(c, TX, p, true)).isEqualTo(Errors.NONE);
        assertThat(c.hasPendingMarkers()).isTrue();
        assertThat(init(c, TX, 60_000).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
    }

    @Test
    void addPartitionsValidatesTheRequest() {
        TransactionCoordinator c = coordinator(true);
        InitProducerIdResponse p = init(c, TX, 60_000);
        assertThat(add(c, TX, p)).as("no partitions").isEqualTo(Errors.INVALID_REQUEST);
        assertThat(add(c, "", p, tp(0))).as("an empty transactional.id").isEqualTo(Errors.INVALID_REQUEST);
        assertThat(c.transaction(TX).state()).isEqualTo(TransactionState.EMPTY);
    }

    @Test
    void onlyPartitionsNewToTheTransactionAreLoggedAndAnnounced() {
        TransactionCoordinator c = coordinator(true);
        InitProducerIdResponse p = init(c, TX, 60_000);
        assertThat(add(c, TX, p, tp(0))).isEqualTo(Errors.NONE);
        long started = now;
        long flushes = disk.flushCount();
        now += 500;
        assertThat(add(c, TX, p, tp(0))).isEqualTo(Errors.NONE);
        assertThat(disk.flushCount()).as("nothing new to log").isEqualTo(flushes);
        assertThat(add(c, TX, p, tp(0), tp(1))).isEqualTo(Errors.NONE);
        assertThat(eventsOf(CoordinatorAddPartitions.class)).extracting(CoordinatorAddPartitions::partitions)
                .containsExactly(List.of(tp(0)), List.of(tp(1)));
        TransactionMetadata m = c.transaction(TX);
        assertThat(m.partitions()).containsExactly(tp(0), tp(1));
        assertThat(m.startTimestamp()).as("the transaction began with its first partition").isEqualTo(started);
    }

    @Test
    void completeIsLoggedSoARestartDoesNotResendMarkers() {
        TransactionCoordinator c = coordinator(true);
        InitProducerIdResponse p = init(c, TX, 60_000);
        add(c, TX, p, tp(0), tp(1));
        end(c, TX, p, true);
        for (Sent request : markerRequests()) {
            assertThat(answer(c, request, Errors.NONE)).isTrue();
        }
        assertThat(eventsOf(CoordinatorComplete.class)).hasSize(1);
        disk.crash();
        TransactionCoordinator restarted = coordinator(true);
        assertThat(restarted.transaction(TX).state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
        assertThat(restarted.hasPendingMarkers()).isFalse();
    }

    @Test
    void aMarkerErrorIsRetriedAfterTheBackoffAndOtherAnswersFinishTheirPartitions() {
        TransactionCoordinator c = coordinator(true);
        InitProducerIdResponse p = init(c, TX, 60_000);
        add(c, TX, p, tp(0), tp(1), tp(2));
        end(c, TX, p, false);
        List<Sent> first = markerRequests();
        assertThat(first).extracting(Sent::destination).containsExactly(0, 1, 2);

        Sent toZero = first.get(0);
        WriteTxnMarkersRequest r0 = (WriteTxnMarkersRequest) toZero.message();
        assertThat(c.handleMarkersResponse(toZero.destination(), new WriteTxnMarkersResponse(999, Map.of())))
                .as("unknown correlation id").isFalse();
        assertThat(c.handleMarkersResponse(1, new WriteTxnMarkersResponse(r0.correlationId(), Map.of(tp(0), Errors.NONE))))
                .as("an answer from a broker the request did not go to").isFalse();
        assertThat(answer(c, toZero, Errors.NOT_LEADER_OR_FOLLOWER)).isTrue();
        assertThat(c.nextWakeupMs()).isEqualTo(now + RETRY_BACKOFF_MS);
        assertThat(answer(c, first.get(1), Errors.INVALID_PRODUCER_EPOCH)).isTrue();
        assertThat(answer(c, first.get(2), Errors.UNKNOWN_TOPIC_OR_PARTITION)).isTrue();
        assertThat(c.hasPendingMarkers()).as("partition 0 still has no marker").isTrue();

        now += RETRY_BACKOFF_MS - 1;
        c.poll();
        assertThat(markerRequests()).hasSize(3);
        now += 1;
        c.poll();
        List<Sent> all = markerRequests();
        assertThat(all).hasSize(4);
        Sent resent = all.get(3);
        assertThat(resent.destination()).isZero();
        assertThat(((WriteTxnMarkersRequest) resent.message()).partitions()).containsExactly(tp(0));
        assertThat(answer(c, resent, Errors.NONE)).isTrue();
        assertThat(c.hasPendingMarkers()).isFalse();
        assertThat(c.transaction(TX).state()).isEqualTo(TransactionState.COMPLETE_ABORT);
    }

    @Test
    void aTimedOutMarkerRequestClosesItsConnectionBeforeItIsSentAgain() {
        TransactionCoordinator c = coordinator(true);
        InitProducerIdResponse p = init(c, TX, 60_000);
        InitProducerIdResponse p2 = init(c, TX2, 60_000);
        add(c, TX, p, tp(0));
        add(c, TX2, p2, tp(1));
        end(c, TX, p, true);
        end(c, TX2, p2, true);
        List<Sent> first = markerRequests();
        assertThat(first).hasSize(2);
        assertThat(c.nextWakeupMs()).as("the request timeout").isEqualTo(now + REQUEST_TIMEOUT_MS);

        now += REQUEST_TIMEOUT_MS - 1;
        c.poll();
        assertThat(transport.disconnects()).isEmpty();
        now += 1;
        c.poll();
        assertThat(transport.disconnects()).as("both connections closed, so no copy of a request can land later")
                .containsExactlyInAnyOrder(CLUSTER.leaderFor(tp(0)), CLUSTER.leaderFor(tp(1)));
        assertThat(markerRequests()).as("resent only after the backoff").hasSize(2);
        assertThat(answer(c, first.get(0), Errors.NONE)).as("the timed-out request is given up").isFalse();
        assertThat(c.hasPendingMarkers()).isTrue();

        now += RETRY_BACKOFF_MS;
        c.poll();
        List<Sent> all = markerRequests();
        assertThat(all).hasSize(4);
        Sent tx1Resent = all.subList(2, 4).stream()
                .filter(s -> ((WriteTxnMarkersRequest) s.message()).partitions().contains(tp(0))).findFirst().orElseThrow();
        Sent tx2Resent = all.subList(2, 4).stream().filter(s -> s != tx1Resent).findFirst().orElseThrow();
        assertThat(answer(c, tx1Resent, Errors.NONE)).isTrue();
        assertThat(c.transaction(TX).state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
        assertThat(c.transaction(TX2).state()).as("the other transaction still waits").isEqualTo(TransactionState.PREPARE_COMMIT);
        assertThat(answer(c, tx2Resent, Errors.NONE)).isTrue();
        assertThat(c.transaction(TX2).state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
        assertThat(answer(c, tx1Resent, Errors.NONE)).as("answered twice: the second is stray").isFalse();
    }

    @Test
    void aPartitionWithARequestOutstandingIsNotSentAnotherWhenAnotherPartitionIsRetried() {
        TransactionCoordinator c = coordinator(true);
        InitProducerIdResponse p = init(c, TX, 60_000);
        add(c, TX, p, tp(0), tp(1));
        end(c, TX, p, true);
        List<Sent> first = markerRequests();
        assertThat(first).extracting(Sent::destination).containsExactly(0, 1);
        assertThat(answer(c, first.get(0), Errors.NOT_LEADER_OR_FOLLOWER)).isTrue();
        now += RETRY_BACKOFF_MS;
        c.poll();
        List<Sent> all = markerRequests();
        assertThat(all).hasSize(3);
        assertThat(all.get(2).destination()).as("only the failed partition is resent").isZero();
        assertThat(transport.disconnects()).isEmpty();
        assertThat(answer(c, first.get(1), Errors.NONE)).isTrue();
        assertThat(answer(c, all.get(2), Errors.NONE)).isTrue();
        assertThat(c.transaction(TX).state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
    }

    @Test
    void aLostConnectionResendsItsMarkersAfterTheBackoff() {
        TransactionCoordinator c = coordinator(true);
        InitProducerIdResponse p = init(c, TX, 60_000);
        add(c, TX, p, tp(1));
        end(c, TX, p, true);
        Sent request = markerRequests().get(0);
        c.disconnected(request.destination());
        assertThat(c.nextWakeupMs()).isEqualTo(now + RETRY_BACKOFF_MS);
        assertThat(answer(c, request, Errors.NONE)).as("the request died with its connection").isFalse();
        assertThat(c.hasPendingMarkers()).isTrue();
        now += RETRY_BACKOFF_MS;
        c.poll();
        Sent resent = markerRequests().get(1);
        assertThat(resent.destination()).isEqualTo(request.destination());
        assertThat(answer(c, resent, Errors.NONE)).isTrue();
        assertThat(c.hasPendingMarkers()).isFalse();
    }

    @Test
    void aTornLogTailIsReportedOnStart() {
        init(coordinator(true), TX, 60_000);
        long valid = disk.size(TransactionLog.FILE);
        disk.append(TransactionLog.FILE, new byte[] {0, 0, 0, 1, 2});
        TransactionCoordinator c = coordinator(true);
        assertThat(c.recoveredTruncatedBytes()).isEqualTo(5);
        assertThat(disk.size(TransactionLog.FILE)).isEqualTo(valid);
        assertThat(c.transaction(TX)).isNotNull();
    }

    @Test
    void idempotentProducersGetFreshIdsAtEpochZero() {
        TransactionCoordinator c = coordinator((ME + 1) % 3, true);
        c.handleInitProducerId(PRODUCER, new InitProducerIdRequest(1, null, Integer.MAX_VALUE));
        c.handleInitProducerId(PRODUCER + 1, new InitProducerIdRequest(2, null, Integer.MAX_VALUE));
        List<Sent> sent = transport.all();
        assertThat(sent).extracting(Sent::destination).containsExactly(PRODUCER, PRODUCER + 1);
        InitProducerIdResponse first = (InitProducerIdResponse) sent.get(0).message();
        InitProducerIdResponse second = (InitProducerIdResponse) sent.get(1).message();
        assertThat(first.error()).isEqualTo(Errors.NONE);
        assertThat(first.producerEpoch()).isZero();
        assertThat(second.producerId()).isNotEqualTo(first.producerId());
        assertThat(eventsOf(CoordinatorInitProducerId.class)).containsExactly(
                new CoordinatorInitProducerId((ME + 1) % 3, null, first.producerId(), (short) 0),
                new CoordinatorInitProducerId((ME + 1) % 3, null, second.producerId(), (short) 0));
    }

    @Test
    void onlyTheCoordinatorOfAnIdServesIt() {
        TransactionCoordinator other = coordinator((ME + 1) % 3, true);
        assertThat(init(other, TX, 60_000).error()).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(end(other, TX, 0, (short) 0, true)).isEqualTo(Errors.NOT_COORDINATOR);
        TransactionCoordinator c = coordinator(true);
        InitProducerIdResponse p = init(c, TX, 60_000);
        assertThat(eventsOf(CoordinatorInitProducerId.class))
                .containsExactly(new CoordinatorInitProducerId(ME, TX, p.producerId(), (short) 0));
    }

    @Test
    void reinitialisingDuringATransactionFencesTheOldInstanceAndAbortsItFirst() {
        TransactionCoordinator c = coordinator(true);
        InitProducerIdResponse p = init(c, TX, 60_000);
        add(c, TX, p, tp(0));
        assertThat(init(c, TX, 60_000).error()).as("retry once the abort is complete").isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(eventsOf(CoordinatorFence.class))
                .containsExactly(new CoordinatorFence(ME, TX, p.producerId(), (short) 0, (short) 1));
        TransactionMetadata m = c.transaction(TX);
        assertThat(m.state()).isEqualTo(TransactionState.PREPARE_ABORT);
        assertThat(m.epoch()).isEqualTo((short) 1);
        WriteTxnMarkersRequest marker = (WriteTxnMarkersRequest) markerRequests().get(0).message();
        assertThat(marker.type()).isEqualTo(ControlType.ABORT);
        assertThat(marker.producerEpoch()).isEqualTo((short) 1);
        assertThat(end(c, TX, p, true)).as("the old instance is fenced").isEqualTo(Errors.PRODUCER_FENCED);
        answerAll(c);
        assertThat(c.transaction(TX).state()).isEqualTo(TransactionState.COMPLETE_ABORT);
        InitProducerIdResponse again = init(c, TX, 60_000);
        assertThat(again.error()).isEqualTo(Errors.NONE);
        assertThat(again.producerEpoch()).isEqualTo((short) 2);
    }

    @Test
    void withoutFencingAReinitialisedInstanceJoinsTheOngoingTransaction() {
        TransactionCoordinator c = coordinator(false);
        InitProducerIdResponse p = init(c, TX, 60_000);
        add(c, TX, p, tp(0));
        InitProducerIdResponse again = init(c, TX, 60_000);
        assertThat(again.error()).isEqualTo(Errors.NONE);
        assertThat(again.producerEpoch()).isEqualTo((short) 1);
        assertThat(c.transaction(TX).state()).isEqualTo(TransactionState.ONGOING);
        assertThat(c.transaction(TX).partitions()).containsExactly(tp(0));
        assertThat(eventsOf(CoordinatorFence.class)).isEmpty();
        assertThat(add(c, p.producerId(), (short) 0, false, tp(1))).as("an older epoch is let through").isEqualTo(Errors.NONE);
        assertThat(add(c, p.producerId(), (short) 2, false, tp(1))).as("a newer epoch is not").isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void endTxnDecidesOnceAndAnswersRetriesOfTheSameDecision() {
        TransactionCoordinator c = coordinator(true);
        InitProducerIdResponse p = init(c, TX, 60_000);
        assertThat(end(c, TX, p, true)).as("no transaction").isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(end(c, TX, p.producerId() + 1, p.producerEpoch(), true)).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        assertThat(end(c, "unknown", p, true)).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        add(c, TX, p, tp(0), tp(1));
        assertThat(end(c, TX, p, true)).isEqualTo(Errors.NONE);
        assertThat(last(EndTxnResponse.class)).as("KIP-890 part 2: the answer hands out the bumped epoch")
                .isEqualTo(new EndTxnResponse(3, Errors.NONE, p.producerId(), (short) 1));
        assertThat(eventsOf(CoordinatorPrepare.class))
                .containsExactly(new CoordinatorPrepare(ME, TX, p.producerId(), (short) 1, true));
        assertThat(markerRequests()).extracting(s -> (WriteTxnMarkersRequest) s.message())
                .allSatisfy(m -> assertThat(m.type()).isEqualTo(ControlType.COMMIT))
                .allSatisfy(m -> assertThat(m.producerEpoch()).as("markers carry the new epoch").isEqualTo((short) 1));
        assertThat(end(c, TX, p, true)).as("retry while markers are pending").isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(end(c, TX, p, false)).as("the other decision").isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(add(c, TX, p, tp(2))).as("the old epoch outside an EndTxn retry").isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(add(c, p.producerId(), (short) 1, false, tp(2))).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);

        disk.crash();
        TransactionCoordinator restarted = coordinator(true); // only inspected: c carries on
        assertThat(restarted.transaction(TX).state()).as("the decision was logged").isEqualTo(TransactionState.PREPARE_COMMIT);
        assertThat(restarted.hasPendingMarkers()).isTrue();
        assertThat(end(restarted, TX, p, true)).as("the retry is recognised after recovery")
                .isEqualTo(Errors.CONCURRENT_TRANSACTIONS);

        answerAll(c);
        assertThat(end(c, TX, p, true)).as("a retry whose answer was lost").isEqualTo(Errors.NONE);
        assertThat(last(EndTxnResponse.class).producerEpoch()).as("the same answer as the first copy").isEqualTo((short) 1);
        assertThat(end(c, TX, p, false)).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(end(c, TX, p.producerId(), (short) 1, true)).as("nothing ongoing at the new epoch")
                .isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(eventsOf(CoordinatorPrepare.class)).hasSize(1);
        assertThat(add(c, p.producerId(), (short) 1, false, tp(2))).isEqualTo(Errors.NONE);
        assertThat(end(c, TX, p, true)).as("a new transaction began: the old epoch is fenced")
                .isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void anExhaustedEpochContinuesWithANewProducerIdAfterTheDecision() {
        TransactionCoordinator c = coordinator(true);
        InitProducerIdResponse p = init(c, TX, 60_000);
        short last = (short) (Short.MAX_VALUE - 1);
        // a transactional id whose epoch has reached the last one Kafka hands out
        disk.crash();
        new TransactionLog(disk).write(c.transaction(TX).withProducer(p.producerId(), last, 60_000));
        c = coordinator(true);
        assertThat(add(c, p.producerId(), last, false, tp(0))).isEqualTo(Errors.NONE);
        assertThat(end(c, TX, p.producerId(), last, false)).isEqualTo(Errors.NONE);
        EndTxnResponse answer = last(EndTxnResponse.class);
        assertThat(answer.producerId()).as("a new producer id").isNotEqualTo(p.producerId());
        assertThat(answer.producerEpoch()).isZero();
        assertThat(markerRequests()).extracting(s -> (WriteTxnMarkersRequest) s.message()).singleElement()
                .satisfies(m -> assertThat(m.producerId()).as("the markers close the old id").isEqualTo(p.producerId()))
                .satisfies(m -> assertThat(m.producerEpoch()).isEqualTo(Short.MAX_VALUE));
        assertThat(add(c, answer.producerId(), (short) 0, false, tp(1))).as("new id, decision still being written")
                .isEqualTo(Errors.CONCURRENT_TRANSACTIONS);

        disk.crash();
        TransactionCoordinator recovered = coordinator(true);
        assertThat(recovered.transaction(TX).nextProducerId()).as("the next id is in the log")
                .isEqualTo(answer.producerId());
        recovered.poll(); // resends the markers of the logged decision
        answerAll(recovered);
        TransactionMetadata m = recovered.transaction(TX);
        assertThat(m.state()).isEqualTo(TransactionState.COMPLETE_ABORT);
        assertThat(m.producerId()).isEqualTo(answer.producerId());
        assertThat(m.epoch()).isZero();
        assertThat(end(recovered, TX, p.producerId(), last, false)).as("a retry of the old identity")
                .isEqualTo(Errors.NONE);
        assertThat(last(EndTxnResponse.class)).isEqualTo(new EndTxnResponse(3, Errors.NONE, answer.producerId(), (short) 0));
        assertThat(add(recovered, answer.producerId(), (short) 0, false, tp(1))).isEqualTo(Errors.NONE);
    }

    @Test
    void withoutTheBumpPerTransactionTheEpochStaysAndRetriesAreAnsweredAsBefore() {
        TransactionCoordinator c = new TransactionCoordinator(ME, CLUSTER,
                new TransactionCoordinator.Settings(900_000, REQUEST_TIMEOUT_MS, RETRY_BACKOFF_MS, true, false), disk,
                () -> now, transport, events::add,
                () -> ++correlationIds);
        InitProducerIdResponse p = init(c, TX, 60_000);
        add(c, TX, p, tp(0));
        assertThat(end(c, TX, p, true)).isEqualTo(Errors.NONE);
        assertThat(last(EndTxnResponse.class).hasNewProducerIdAndEpoch()).isFalse();
        assertThat(eventsOf(CoordinatorPrepare.class)).singleElement()
                .satisfies(e -> assertThat(e.producerEpoch()).isZero());
        answerAll(c);
        assertThat(end(c, TX, p, true)).as("a retry whose answer was lost").isEqualTo(Errors.NONE);
        assertThat(add(c, TX, p, tp(0))).as("the next transaction, same epoch").isEqualTo(Errors.NONE);
    }

    @Test
    void addPartitionsChecksThePartitionsAndStartsTheNextTransactionDurably() {
        TransactionCoordinator c = coordinator(true);
        InitProducerIdResponse p = init(c, TX, 60_000);
        assertThat(add(c, TX, p, new TopicPartition("t", 6))).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(add(c, TX, p, new TopicPartition("other", 0))).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(add(c, p.producerId(), (short) 1, false, tp(0))).isEqualTo(Errors.PRODUCER_FENCED);
        add(c, TX, p, tp(0));
        end(c, TX, p, false);
        answerAll(c);
        now += 10;
        assertThat(add(c, p.producerId(), (short) 1, false, tp(3))).isEqualTo(Errors.NONE);
        disk.crash();
        TransactionMetadata m = coordinator(true).transaction(TX);
        assertThat(m.state()).isEqualTo(TransactionState.ONGOING);
        assertThat(m.partitions()).containsExactly(tp(3));
        assertThat(m.startTimestamp()).isEqualTo(now);
    }

    @Test
    void verifyOnlyChecksTheOngoingTransactionWithoutChangingIt() {
        TransactionCoordinator c = coordinator(true);
        InitProducerIdResponse p = init(c, TX, 60_000);
        assertThat(add(c, p.producerId(), p.producerEpoch(), true, tp(0))).as("no transaction").isEqualTo(Errors.INVALID_TXN_STATE);
        add(c, TX, p, tp(0), tp(1));
        long flushes = disk.flushCount();
        assertThat(add(c, p.producerId(), p.producerEpoch(), true, tp(1), tp(0))).isEqualTo(Errors.NONE);
        assertThat(add(c, p.producerId(), p.producerEpoch(), true, tp(2))).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(add(c, p.producerId(), (short) 1, true, tp(0))).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(disk.flushCount()).isEqualTo(flushes);
        assertThat(c.transaction(TX).partitions()).containsExactly(tp(0), tp(1));
    }

    @Test
    void anOngoingTransactionIsAbortedWithABumpedEpochWhenItTimesOut() {
        TransactionCoordinator c = coordinator(true);
        InitProducerIdResponse p = init(c, TX, 5_000);
        assertThat(c.nextWakeupMs()).as("nothing to wait for").isEqualTo(Long.MAX_VALUE);
        add(c, TX, p, tp(0));
        assertThat(c.nextWakeupMs()).isEqualTo(1_000 + 5_000);
        now = 5_999;
        c.poll();
        assertThat(c.transaction(TX).state()).isEqualTo(TransactionState.ONGOING);
        now = 6_000;
        c.poll();
        assertThat(eventsOf(CoordinatorTimeoutAbort.class))
                .containsExactly(new CoordinatorTimeoutAbort(ME, TX, p.producerId(), (short) 0));
        assertThat(c.transaction(TX).state()).isEqualTo(TransactionState.PREPARE_ABORT);
        assertThat(c.transaction(TX).epoch()).as("the late producer is fenced").isEqualTo((short) 1);
        answerAll(c);
        assertThat(c.transaction(TX).state()).isEqualTo(TransactionState.COMPLETE_ABORT);
        assertThat(c.nextWakeupMs()).as("an ended transaction has no deadline").isEqualTo(Long.MAX_VALUE);

        TransactionCoordinator unfenced = new TransactionCoordinator(ME, CLUSTER,
                new TransactionCoordinator.Settings(900_000, REQUEST_TIMEOUT_MS, RETRY_BACKOFF_MS, false, true), new SimulatedDisk(),
                () -> now, transport, events::add, () -> ++correlationIds);
        InitProducerIdResponse q = init(unfenced, TX, 5_000);
        add(unfenced, TX, q, tp(0));
        now += 5_000;
        unfenced.poll();
        assertThat(unfenced.transaction(TX).state()).isEqualTo(TransactionState.PREPARE_ABORT);
        assertThat(unfenced.transaction(TX).epoch()).as("no fencing: the epoch stays").isZero();
    }
}
