package dev.deliverycheck.broker;

import static dev.deliverycheck.broker.Cluster.tp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.broker.txn.TransactionMetadata;
import dev.deliverycheck.broker.txn.TransactionState;
import dev.deliverycheck.event.BrokerAppend;
import dev.deliverycheck.event.BrokerReject;
import dev.deliverycheck.event.BrokerVerifyPartition;
import dev.deliverycheck.event.CoordinatorAddPartitions;
import dev.deliverycheck.event.CoordinatorComplete;
import dev.deliverycheck.event.CoordinatorFence;
import dev.deliverycheck.event.CoordinatorInitProducerId;
import dev.deliverycheck.event.CoordinatorPrepare;
import dev.deliverycheck.event.CoordinatorTimeoutAbort;
import dev.deliverycheck.event.CoordinatorWriteMarker;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.protocol.ControlType;
import dev.deliverycheck.protocol.EndTxnRequest;
import dev.deliverycheck.protocol.EndTxnResponse;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.InitProducerIdRequest;
import dev.deliverycheck.protocol.InitProducerIdResponse;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.ProduceRequest;
import dev.deliverycheck.protocol.ProduceResponse;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import dev.deliverycheck.protocol.WriteTxnMarkersRequest;
import dev.deliverycheck.protocol.WriteTxnMarkersResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrokerTransactionTest {
    static final TopicPartition P0 = tp(0);
    static final TopicPartition P1 = tp(1);
    static final IsolationLevel RC = IsolationLevel.READ_COMMITTED;
    static final IsolationLevel RU = IsolationLevel.READ_UNCOMMITTED;

    private static Cluster cluster() {
        return new Cluster(2, 4, BrokerConfig.DEFAULT);
    }

    private static TransactionState state(Cluster c, TxnClient t) {
        return c.brokers[t.coordinator].transaction(t.transactionalId).map(TransactionMetadata::state).orElseThrow();
    }

    @Test
    void aCommittedTransactionBecomesVisibleToReadCommittedAllAtOnce() {
        Cluster c = cluster();
        TxnClient t = new TxnClient(c, 100, "tx-1");
        assertThat(t.init()).isEqualTo(Errors.NONE);
        assertThat(state(c, t)).isEqualTo(TransactionState.EMPTY);
        assertThat(t.add(P0, P1)).isEqualTo(Errors.NONE);
        assertThat(state(c, t)).isEqualTo(TransactionState.ONGOING);
        assertThat(t.produce(P0, 1, 2)).isEqualTo(Errors.NONE);
        assertThat(t.produce(P1, 3)).isEqualTo(Errors.NONE);
        assertThat(t.produce(P0, 4)).isEqualTo(Errors.NONE);

        // KIP-890: one verification per partition, before the first append only
        assertThat(c.events(BrokerVerifyPartition.class)).extracting(BrokerVerifyPartition::topicPartition,
                BrokerVerifyPartition::verified).containsExactly(
                org.assertj.core.groups.Tuple.tuple(P0, true), org.assertj.core.groups.Tuple.tuple(P1, true));
        assertThat(c.read(P0, RU)).containsExactly(1L, 2L, 4L);
        assertThat(c.read(P0, RC)).isEmpty();
        assertThat(c.leader(P0).lastStableOffset(P0)).isZero();

        assertThat(t.end(true)).isEqualTo(Errors.NONE);

        assertThat(state(c, t)).isEqualTo(TransactionState.COMPLETE_COMMIT);
        assertThat(c.read(P0, RC)).containsExactly(1L, 2L, 4L);
        assertThat(c.read(P1, RC)).containsExactly(3L);
        assertThat(c.leader(P0).lastStableOffset(P0)).isEqualTo(4);
        List<String> order = c.events.stream().map(Event::name)
                .filter(n -> n.startsWith("Coordinator")).toList();
        assertThat(order).containsExactly("CoordinatorInitProducerId", "CoordinatorAddPartitions", "CoordinatorPrepare",
                "CoordinatorWriteMarker", "CoordinatorWriteMarker", "CoordinatorComplete");
        assertThat(c.events(CoordinatorWriteMarker.class)).allSatisfy(m -> assertThat(m.type()).isEqualTo(ControlType.COMMIT));
        assertThat(c.events(CoordinatorAddPartitions.class).get(0).partitions()).containsExactly(P0, P1);
    }

    @Test
    void abortedRecordsAreSkippedByReadCommittedOnly() {
        Cluster c = cluster();
        TxnClient t = new TxnClient(c, 100, "tx-1");
        t.init();
        t.add(P0);
        t.produce(P0, 1, 2);
        assertThat(t.end(false)).isEqualTo(Errors.NONE);
        assertThat(state(c, t)).isEqualTo(TransactionState.COMPLETE_ABORT);
        t.add(P0);
        t.produce(P0, 3);
        t.end(true);
        assertThat(c.read(P0, RU)).containsExactly(1L, 2L, 3L);
        assertThat(c.read(P0, RC)).containsExactly(3L);
        assertThat(c.events(CoordinatorComplete.class)).extracting(CoordinatorComplete::commit).containsExactly(false, true);
    }

    @Test
    void lastStableOffsetWaitsForTheEarliestOpenTransactionOfAnyProducer() {
        Cluster c = new Cluster(1, 1, BrokerConfig.DEFAULT);
        TxnClient a = new TxnClient(c, 100, "tx-a");
        TxnClient b = new TxnClient(c, 101, "tx-b");
        a.init();
        b.init();
        a.add(P0);
        b.add(P0);
        a.produce(P0, 10);              // offset 0
        b.produce(P0, 20);              // offset 1
        a.produce(P0, 11);              // offset 2
        c.brokers[0].receive(102, new ProduceRequest(1, null, (short) -1, 1000, List.of(Cluster.plain(P0, 30))));
        c.deliverAll();                 // offset 3
        Broker broker = c.brokers[0];
        assertThat(broker.lastStableOffset(P0)).isZero();

        b.end(true);                    // marker at 4
        assertThat(broker.lastStableOffset(P0)).as("a is still open").isZero();
        assertThat(c.read(P0, RC)).isEmpty();

        a.end(false);                   // marker at 5
        assertThat(broker.lastStableOffset(P0)).isEqualTo(6).isEqualTo(broker.logEndOffset(P0));
        assertThat(c.read(P0, RC)).containsExactly(20L, 30L);
        assertThat(c.read(P0, RU)).containsExactly(10L, 20L, 11L, 30L);

        b.add(P0);
        b.produce(P0, 21);              // offset 6
        assertThat(broker.lastStableOffset(P0)).isEqualTo(6);
        assertThat(c.read(P0, RC)).containsExactly(20L, 30L);
    }

    @Test
    void aPartitionNotAddedToTheTransactionIsRefusedByVerification() {
        Cluster c = cluster();
        TxnClient t = new TxnClient(c, 100, "tx-1");
        t.init();
        t.add(P0);
        assertThat(t.produce(P1, 1)).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(c.events(BrokerVerifyPartition.class)).singleElement()
                .satisfies(v -> assertThat(v.verified()).isFalse());
        assertThat(c.events(BrokerReject.class)).singleElement()
                .satisfies(r -> assertThat(r.error()).isEqualTo(Errors.INVALID_TXN_STATE));
        assertThat(c.leader(P1).logEndOffset(P1)).isZero();
    }

    @Test
    void aLateProduceAfterAnAbortCannotOpenAHangingTransaction() {
        // KIP-890 part 1 (verification), part 2 (epoch bump per transaction), each alone, and neither
        for (boolean verify : new boolean[] {true, false}) {
            for (boolean bump : new boolean[] {true, false}) {
                Cluster c = new Cluster(2, 4, BrokerConfig.DEFAULT.withVerifyTransactionalPartitions(verify)
                        .withBumpEpochPerTxn(bump));
                TxnClient t = new TxnClient(c, 100, "tx-1");
                t.init();
                t.add(P0);
                ProduceRequest late = t.produceRequest(P0, 1);   // delayed in the network
                t.end(false);
                c.leader(P0).receive(100, late);
                c.deliverAll();
                Broker leader = c.leader(P0);
                if (verify || bump) {
                    assertThat(c.events(BrokerAppend.class)).as("verify=%s bump=%s", verify, bump).isEmpty();
                    assertThat(leader.lastStableOffset(P0)).isEqualTo(leader.logEndOffset(P0));
                } else {
                    // KIP-890 off: the late batch opens a transaction nobody will ever end; the LSO hangs
                    assertThat(c.events(BrokerAppend.class)).hasSize(1);
                    assertThat(leader.lastStableOffset(P0)).isLessThan(leader.logEndOffset(P0));
                }
            }
        }
    }

    /**
     * Teeth of KIP-890 part 2 (spec: MCExactlyOnceKip890Part1, spec/tla-models.md finding 3): a
     * produce of an aborted transaction arrives after the producer's next transaction added the
     * partition. With the epoch bump per transaction it carries an epoch the partition's ABORT
     * marker already superseded and is refused; without it, it passes the part-1 verification (same
     * pid and epoch, partition in the ongoing transaction) and is committed with the next
     * transaction -- a read_committed reader sees a record of an aborted transaction.
     */
    @Test
    void aLateProduceOfAnAbortedTransactionIsRefusedWithTheBumpAndJoinsTheNextTransactionWithoutIt() {
        for (boolean bump : new boolean[] {true, false}) {
            Cluster c = new Cluster(2, 4, BrokerConfig.DEFAULT.withBumpEpochPerTxn(bump));
            TxnClient t = new TxnClient(c, 100, "tx-1");
            t.init();
            t.add(P0);
            ProduceRequest late = t.produceRequest(P0, 1);   // record 1 of transaction 0, delayed
            assertThat(t.end(false)).isEqualTo(Errors.NONE);
            assertThat(t.epoch).as("bump=%s", bump).isEqualTo((short) (bump ? 1 : 0));
            assertThat(t.add(P0)).isEqualTo(Errors.NONE);       // transaction 1
            c.leader(P0).receive(100, late);
            c.deliverAll();
            Errors lateAnswer = c.lastResponse(100, ProduceResponse.class).results().get(P0).error();
            assertThat(t.produce(P0, 2)).isEqualTo(Errors.NONE);
            assertThat(t.end(true)).isEqualTo(Errors.NONE);
            if (bump) {
                assertThat(lateAnswer).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
                assertThat(c.read(P0, RC)).containsExactly(2L);
            } else {
                assertThat(lateAnswer).isEqualTo(Errors.NONE);
                assertThat(c.read(P0, RC)).as("the aborted record 1 is committed").containsExactly(1L, 2L);
            }
        }
    }

    @Test
    void aVerdictOvertakenByAMarkerCannotReopenTheEndedTransaction() {
        Cluster c = cluster();
        TxnClient t = new TxnClient(c, 100, "tx-1");
        t.init();
        t.add(P0, P1);
        t.produce(P0, 1);
        // The first batch for P1 waits for its verification; the coordinator says yes...
        c.leader(P1).receive(100, t.produceRequest(P1, 2));
        c.deliverFirst(e -> e.message() instanceof dev.deliverycheck.protocol.AddPartitionsToTxnRequest);
        // ...but before the yes arrives, a new instance fences the producer and the abort marker reaches P1.
        c.send(101, t.coordinator, new InitProducerIdRequest(1, "tx-1", 60_000));
        c.deliverFirst(e -> e.message() instanceof WriteTxnMarkersRequest && e.to() == c.metadata.leaderFor(P1));
        c.deliverAll();

        assertThat(c.events(BrokerVerifyPartition.class)).filteredOn(v -> v.topicPartition().equals(P1))
                .singleElement().satisfies(v -> assertThat(v.verified()).isTrue());
        assertThat(c.events(BrokerReject.class)).singleElement()
                .satisfies(r -> assertThat(r.error()).isEqualTo(Errors.INVALID_TXN_STATE));
        Broker leader = c.leader(P1);
        assertThat(leader.lastStableOffset(P1)).as("no hanging transaction").isEqualTo(leader.logEndOffset(P1));
        assertThat(c.read(P1, RU)).isEmpty();
    }

    @Test
    void aNewInstanceFencesTheOldOneAndAbortsItsTransaction() {
        Cluster c = cluster();
        TxnClient zombie = new TxnClient(c, 100, "tx-1");
        zombie.init();
        zombie.add(P0);
        zombie.produce(P0, 1);
        TxnClient fresh = new TxnClient(c, 101, "tx-1");

        assertThat(fresh.init()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(c.events(CoordinatorFence.class)).containsExactly(
                new CoordinatorFence(zombie.coordinator, "tx-1", zombie.producerId, (short) 0, (short) 1));
        assertThat(c.events(CoordinatorPrepare.class)).singleElement().satisfies(p -> {
            assertThat(p.commit()).isFalse();
            assertThat(p.producerEpoch()).isEqualTo((short) 1);
        });
        assertThat(state(c, zombie)).isEqualTo(TransactionState.COMPLETE_ABORT);
        assertThat(fresh.init()).isEqualTo(Errors.NONE);
        assertThat(fresh.producerId).isEqualTo(zombie.producerId);
        assertThat(fresh.epoch).isEqualTo((short) 2);

        assertThat(zombie.produce(P0, 2)).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(zombie.add(P1)).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(zombie.end(true)).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(c.read(P0, RC)).isEmpty();

        fresh.add(P0);
        assertThat(fresh.produce(P0, 3)).isEqualTo(Errors.NONE);
        assertThat(fresh.end(true)).isEqualTo(Errors.NONE);
        assertThat(c.read(P0, RC)).containsExactly(3L);
    }

    @Test
    void withFencingDisabledTheZombieStillWrites() {
        Cluster c = new Cluster(2, 4, BrokerConfig.DEFAULT.withFencingEnabled(false));
        TxnClient zombie = new TxnClient(c, 100, "tx-1");
        zombie.init();
        zombie.add(P0);
        zombie.produce(P0, 1);
        TxnClient fresh = new TxnClient(c, 101, "tx-1");
        assertThat(fresh.init()).isEqualTo(Errors.NONE);
        assertThat(c.events(CoordinatorFence.class)).isEmpty();
        assertThat(zombie.produce(P0, 2)).isEqualTo(Errors.NONE);
        assertThat(zombie.end(true)).isEqualTo(Errors.NONE);
        assertThat(c.read(P0, RC)).containsExactly(1L, 2L);
    }

    @Test
    void aTransactionPastItsTimeoutIsAbortedAndItsProducerFenced() {
        Cluster c = cluster();
        TxnClient t = new TxnClient(c, 100, "tx-1");
        t.timeoutMs = 5_000;
        t.init();
        long start = c.clock.milliseconds();
        t.add(P0);
        t.produce(P0, 1);
        Broker coordinator = c.brokers[t.coordinator];
        assertThat(coordinator.nextWakeupMs()).isEqualTo(start + 5_000);
        c.clock.advanceTo(start + 4_999);
        c.deliverAll();
        assertThat(state(c, t)).isEqualTo(TransactionState.ONGOING);
        c.clock.advanceTo(start + 5_000);
        c.deliverAll();
        assertThat(c.events(CoordinatorTimeoutAbort.class)).containsExactly(
                new CoordinatorTimeoutAbort(t.coordinator, "tx-1", t.producerId, (short) 0));
        assertThat(state(c, t)).isEqualTo(TransactionState.COMPLETE_ABORT);
        assertThat(coordinator.transaction("tx-1").orElseThrow().epoch()).isEqualTo((short) 1);
        assertThat(t.end(true)).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(t.produce(P0, 2)).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(c.read(P0, RC)).isEmpty();
        assertThat(c.leader(P0).lastStableOffset(P0)).isEqualTo(c.leader(P0).logEndOffset(P0));
    }

    @Test
    void endTxnAnswersDependOnTheState() {
        Cluster c = cluster();
        TxnClient t = new TxnClient(c, 100, "tx-1");
        t.init();
        assertThat(t.end(true)).as("Empty").isEqualTo(Errors.INVALID_TXN_STATE);
        t.add(P0);
        t.produce(P0, 1);
        // PrepareCommit while markers are lost in the network
        t.sendEnd(true);
        c.deliverAllExcept(e -> e.message() instanceof WriteTxnMarkersRequest);
        assertThat(state(c, t)).isEqualTo(TransactionState.PREPARE_COMMIT);
        assertThat(t.end(true)).as("retry during PrepareCommit").isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(t.end(false)).as("abort during PrepareCommit").isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(t.add(P1)).as("the old epoch outside an EndTxn retry").isEqualTo(Errors.PRODUCER_FENCED);
        c.clock.advanceBy(BrokerConfig.DEFAULT.requestTimeoutMs());
        c.deliverAll();
        c.clock.advanceBy(BrokerConfig.DEFAULT.retryBackoffMs());
        c.deliverAll();
        assertThat(state(c, t)).isEqualTo(TransactionState.COMPLETE_COMMIT);
        assertThat(t.end(true)).as("retry of a completed commit").isEqualTo(Errors.NONE);
        assertThat(t.epoch).as("its answer hands out the bumped epoch").isEqualTo((short) 1);
        assertThat(t.end(false)).as("KIP-890 part 2: an abort with nothing ongoing still bumps the epoch")
                .isEqualTo(Errors.NONE);
        assertThat(t.epoch).isEqualTo((short) 2);
        assertThat(state(c, t)).as("no markers to write").isEqualTo(TransactionState.COMPLETE_ABORT);
        assertThat(t.add(P1)).isEqualTo(Errors.NONE);
        assertThat(c.events(CoordinatorComplete.class)).hasSize(2);
    }

    @Test
    void requestsForTheWrongCoordinatorOrProducerAreRefused() {
        Cluster c = cluster();
        TxnClient t = new TxnClient(c, 100, "tx-1");
        t.init();
        int other = 1 - t.coordinator;
        c.send(100, other, new InitProducerIdRequest(50, "tx-1", 1000));
        c.send(100, t.coordinator, new InitProducerIdRequest(51, "tx-1", 0));
        c.send(100, t.coordinator, new InitProducerIdRequest(52, "tx-1", 900_001));
        c.send(100, t.coordinator, new EndTxnRequest(53, "tx-1", t.producerId + 1, t.epoch, true));
        c.send(100, t.coordinator, new EndTxnRequest(54, "unknown-id-" + t.coordinator, 5, (short) 0, true));
        c.deliverAll();
        List<InitProducerIdResponse> inits = c.responses(100, InitProducerIdResponse.class);
        assertThat(inits.subList(1, 4)).extracting(InitProducerIdResponse::error).containsExactly(
                Errors.NOT_COORDINATOR, Errors.INVALID_TRANSACTION_TIMEOUT, Errors.INVALID_TRANSACTION_TIMEOUT);
        List<EndTxnResponse> ends = c.responses(100, EndTxnResponse.class);
        assertThat(ends.get(0).error()).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        assertThat(ends.get(1).error()).isIn(Errors.INVALID_PRODUCER_ID_MAPPING, Errors.NOT_COORDINATOR);
        assertThat(t.add(new TopicPartition("nope", 0))).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void markersLostInTheNetworkAreResent() {
        Cluster c = cluster();
        TxnClient t = new TxnClient(c, 100, "tx-1");
        t.init();
        t.add(P0, P1);
        t.produce(P0, 1);
        t.produce(P1, 2);
        t.sendEnd(true);
        boolean[] lostOne = {false};
        c.deliverAllExcept(e -> {
            if (e.message() instanceof WriteTxnMarkersRequest && !lostOne[0]) {
                lostOne[0] = true;
                return true;
            }
            return false;
        });
        assertThat(state(c, t)).isEqualTo(TransactionState.PREPARE_COMMIT);
        assertThat(c.events(CoordinatorWriteMarker.class)).hasSize(1);
        c.clock.advanceBy(BrokerConfig.DEFAULT.requestTimeoutMs() - 1);
        c.deliverAll();
        assertThat(state(c, t)).isEqualTo(TransactionState.PREPARE_COMMIT);
        c.clock.advanceBy(1);
        c.deliverAll();
        assertThat(state(c, t)).as("the timed-out request's connection is closed; resent after the backoff")
                .isEqualTo(TransactionState.PREPARE_COMMIT);
        c.clock.advanceBy(BrokerConfig.DEFAULT.retryBackoffMs());
        c.deliverAll();
        assertThat(state(c, t)).isEqualTo(TransactionState.COMPLETE_COMMIT);
        assertThat(c.read(P0, RC)).containsExactly(1L);
        assertThat(c.read(P1, RC)).containsExactly(2L);
    }

    @Test
    void aDisconnectResendsMarkersAfterTheBackoffNotTheRequestTimeout() {
        Cluster c = cluster();
        TxnClient t = new TxnClient(c, 100, "tx-1");
        t.init();
        t.add(P0, P1);
        t.produce(P0, 1);
        t.produce(P1, 2);
        t.sendEnd(true);
        int other = 1 - t.coordinator;
        c.deliverAllExcept(e -> e.message() instanceof WriteTxnMarkersRequest && e.to() == other);
        assertThat(state(c, t)).isEqualTo(TransactionState.PREPARE_COMMIT);
        assertThat(c.brokers[t.coordinator].idle()).as("markers still to be written").isFalse();
        c.brokers[t.coordinator].disconnected(other);
        assertThat(c.brokers[t.coordinator].nextWakeupMs()).isEqualTo(c.clock.milliseconds() + BrokerConfig.DEFAULT.retryBackoffMs());
        c.clock.advanceBy(BrokerConfig.DEFAULT.retryBackoffMs());
        c.deliverAll();
        assertThat(state(c, t)).isEqualTo(TransactionState.COMPLETE_COMMIT);
        assertThat(c.brokers).allSatisfy(b -> assertThat(b.idle()).isTrue());
        assertThat(c.read(P0, RC)).containsExactly(1L);
        assertThat(c.read(P1, RC)).containsExactly(2L);
    }

    @Test
    void aDisconnectFromTheCoordinatorRefusesAHeldBatchWithARetriableError() {
        Cluster c = cluster();
        TxnClient t = new TxnClient(c, 100, "tx-1");
        t.init();
        TopicPartition heldOn = c.metadata.leaderFor(P0) != t.coordinator ? P0 : P1;
        t.add(heldOn);
        Broker leader = c.leader(heldOn);
        leader.receive(100, t.produceRequest(heldOn, 1));
        assertThat(c.network).anyMatch(e -> e.message() instanceof dev.deliverycheck.protocol.AddPartitionsToTxnRequest);
        c.network.clear();
        leader.disconnected(t.coordinator);
        c.deliverAll();
        assertThat(c.lastResponse(100, dev.deliverycheck.protocol.ProduceResponse.class).results().get(heldOn).error())
                .isEqualTo(Errors.NOT_ENOUGH_REPLICAS).matches(Errors::retriable);
        assertThat(leader.logEndOffset(heldOn)).isZero();
        assertThat(leader.nextWakeupMs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aLostMarkerAnswerLeadsToAHarmlessSecondMarker() {
        Cluster c = cluster();
        TxnClient t = new TxnClient(c, 100, "tx-1");
        t.init();
        t.add(P0);
        t.produce(P0, 1);
        t.sendEnd(false);
        c.deliverAllExcept(e -> e.message() instanceof WriteTxnMarkersResponse);
        assertThat(state(c, t)).isEqualTo(TransactionState.PREPARE_ABORT);
        c.clock.advanceBy(BrokerConfig.DEFAULT.requestTimeoutMs());
        c.deliverAll();
        c.clock.advanceBy(BrokerConfig.DEFAULT.retryBackoffMs());
        c.deliverAll();
        assertThat(state(c, t)).isEqualTo(TransactionState.COMPLETE_ABORT);
        assertThat(c.events(CoordinatorWriteMarker.class)).hasSize(2);
        assertThat(c.leader(P0).logEndOffset(P0)).isEqualTo(3);
        assertThat(c.read(P0, RC)).isEmpty();
        assertThat(t.takeEndAnswer()).isEqualTo(Errors.NONE);
        t.add(P0);
        t.produce(P0, 2);
        t.end(true);
        assertThat(c.read(P0, RC)).containsExactly(2L);
    }

    @Test
    void underTransactionVersion2AnUnknownTransactionalProducerMustStartAtSequence0() {
        // Kafka's checkSequence: the one unknown producer that may not start anywhere (issue #14, rule 1's exception)
        Cluster c = cluster();
        TxnClient t = new TxnClient(c, 100, "tx-1");
        assertThat(t.init()).isEqualTo(Errors.NONE);
        assertThat(t.add(P0)).isEqualTo(Errors.NONE);
        RecordBatch b = Cluster.batch(P0, t.producerId, t.epoch, 5, true, 1);
        c.leader(P0).receive(100, new ProduceRequest(77, "tx-1", (short) -1, 30_000, List.of(b)));
        c.deliverAll();
        assertThat(c.lastResponse(100, ProduceResponse.class).results().get(P0).error())
                .isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(c.read(P0, RU)).isEmpty();
    }
}
