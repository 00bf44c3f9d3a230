package dev.deliverycheck.tlc;

import static dev.deliverycheck.tlc.TraceFixtures.TP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.event.BrokerAck;
import dev.deliverycheck.event.BrokerAppend;
import dev.deliverycheck.event.BrokerCrash;
import dev.deliverycheck.event.BrokerDuplicate;
import dev.deliverycheck.event.BrokerFlush;
import dev.deliverycheck.event.BrokerRecoverPartition;
import dev.deliverycheck.event.BrokerReject;
import dev.deliverycheck.event.BrokerRestart;
import dev.deliverycheck.event.BrokerVerifyPartition;
import dev.deliverycheck.event.ConsumerFetch;
import dev.deliverycheck.event.CoordinatorAddPartitions;
import dev.deliverycheck.event.CoordinatorComplete;
import dev.deliverycheck.event.CoordinatorFence;
import dev.deliverycheck.event.CoordinatorInitProducerId;
import dev.deliverycheck.event.CoordinatorPrepare;
import dev.deliverycheck.event.CoordinatorTimeoutAbort;
import dev.deliverycheck.event.CoordinatorWriteMarker;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.NetworkDeliver;
import dev.deliverycheck.event.NetworkLoseRequest;
import dev.deliverycheck.event.NetworkLoseResponse;
import dev.deliverycheck.event.ProducerAddPartitions;
import dev.deliverycheck.event.ProducerBeginTxn;
import dev.deliverycheck.event.ProducerBumpEpoch;
import dev.deliverycheck.event.ProducerEndTxn;
import dev.deliverycheck.event.ProducerEndTxnResult;
import dev.deliverycheck.event.ProducerFenced;
import dev.deliverycheck.event.ProducerInitProducerId;
import dev.deliverycheck.event.ProducerRestart;
import dev.deliverycheck.event.ProducerRetry;
import dev.deliverycheck.event.ProducerSend;
import dev.deliverycheck.event.ProducerSendAcked;
import dev.deliverycheck.event.ProducerSendBatch;
import dev.deliverycheck.event.ProducerSendFailed;
import dev.deliverycheck.protocol.ControlType;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceExporterTest {
    private static final TopicPartition TP1 = new TopicPartition("events", 1);
    private final TraceExporter exporter = new TraceExporter(Mode.EXACTLY_ONCE, TraceExporter.Protocol.KIP_890_PART_1);

    /** One event of every type of the sealed vocabulary, with awkward values. */
    static List<Event> everyType() {
        return List.of(
                new ProducerSend(100, 7, TP, 0),
                new ProducerSendBatch(100, 0, 3, TP, 5, (short) 1, 0, List.of(7L)),
                new ProducerRetry(100, 0, 4, TP, 5, (short) 1, 0, List.of(7L), 1),
                new ProducerSendAcked(100, 7, TP, 0),
                new ProducerSendFailed(100, 8, TP1, "Timeout \"quoted\" \\ path\nnext line"),
                new ProducerInitProducerId(100, "txn-app-1", 5, (short) 0),
                new ProducerBumpEpoch(100, 5, (short) 2),
                new ProducerBeginTxn(100, 0),
                new ProducerAddPartitions(100, "txn-app-1", 5, (short) 1, List.of(TP, TP1)),
                new ProducerEndTxn(100, "txn-app-1", 5, (short) 1, 0, true),
                new ProducerEndTxnResult(100, 0, true, null, 5, (short) 2),
                new ProducerFenced(100, "txn-app-1", 5, (short) 1),
                new ProducerRestart(100, 101, "txn-app-1"),
                new BrokerAppend(0, TP, 5, (short) 1, 0, 0, List.of(7L), true),
                new BrokerDuplicate(0, TP, 5, (short) 1, 0, 0),
                new BrokerReject(1, TP1, 5, (short) 1, 3, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER),
                new BrokerFlush(0, TP, 1),
                new BrokerAck(0, 100, 3, TP, 0, Errors.NONE),
                new BrokerCrash(1),
                new BrokerRestart(1),
                new BrokerRecoverPartition(1, TP1, 0, 0, 0),
                new BrokerVerifyPartition(0, TP, 5, (short) 1, true),
                new CoordinatorInitProducerId(2, "txn-app-1", 5, (short) 0),
                new CoordinatorAddPartitions(2, "txn-app-1", 5, (short) 1, List.of(TP)),
                new CoordinatorPrepare(2, "txn-app-1", 5, (short) 1, true),
                new CoordinatorWriteMarker(0, TP, 5, (short) 1, ControlType.COMMIT, 1),
                new CoordinatorComplete(2, "txn-app-1", 5, (short) 1, true),
                new CoordinatorTimeoutAbort(2, "txn-app-1", 5, (short) 1),
                new CoordinatorFence(2, "txn-app-1", 5, (short) 1, (short) 2),
                new NetworkDeliver(100, 0, 3, "ProduceRequest"),
                new NetworkLoseRequest(100, 0, 4, "ProduceRequest"),
                new NetworkLoseResponse(0, 100, 3, "ProduceResponse"),
                new ConsumerFetch(TP, IsolationLevel.READ_COMMITTED, List.of(0L), List.of(7L)));
    }

    @Test
    void exportsEveryEventTypeWithoutFailing() {
        List<Event> events = everyType();
        assertThat(Arrays.stream(Event.class.getPermittedSubclasses()).map(Class::getSimpleName))
                .as("the fixture covers the whole vocabulary")
                .containsExactlyInAnyOrderElementsOf(events.stream().map(Event::name).toList());
        String data = exporter.dataModule(events);
        for (Event e : events) {
            assertThat(data).contains("[event |-> \"" + e.name() + "\"");
        }
        assertThat(data).startsWith("---- MODULE TraceData ----").contains("TraceLog == <<").endsWith("====\n");
        assertThat(exporter.module("TraceRun")).startsWith("---- MODULE TraceRun ----")
                .contains("EXTENDS TraceExactlyOnce").endsWith("====\n");
    }

    @Test
    void convertsFieldsToTlaValues() {
        String module = exporter.dataModule(everyType());
        assertThat(module)
                .contains("[event |-> \"ProducerSendBatch\", producer |-> 100, broker |-> 0, correlationId |-> 3, "
                        + "partition |-> 0, producerId |-> 5, producerEpoch |-> 1, baseSequence |-> 0, recordIds |-> <<7>>]")
                .contains("partitions |-> {0, 1}")
                .contains("error |-> \"Timeout \\\"quoted\\\" \\\\ path next line\"")
                .contains("[event |-> \"ProducerEndTxnResult\", producer |-> 100, transactionIndex |-> 0, commit |-> TRUE, error |-> \"\", producerId |-> 5, producerEpoch |-> 2]")
                .contains("error |-> \"OUT_OF_ORDER_SEQUENCE_NUMBER\"")
                .contains("isolation |-> \"READ_COMMITTED\"")
                .contains("type |-> \"COMMIT\"");
    }

    @Test
    void derivesTheSpecsConstantsFromTheRun() {
        String module = exporter.dataModule(everyType());
        assertThat(module)
                .contains("TR_Producers == {100, 101}")
                .contains("TR_Brokers == {0, 1, 2}")
                .contains("TR_Partitions == {0, 1}")
                .contains("TR_Records == {7, 8}")
                .contains("TR_Coordinator == 2")
                .contains("TR_TxnLimit == 1")
                .contains("TR_SendOrder == (100 :> <<7>>) @@ (101 :> <<>>)")
                .contains("TR_PartitionOf == (7 :> 0) @@ (8 :> 0)")
                .contains("TR_LeaderOf == (0 :> 0) @@ (1 :> 1)");
        String config = exporter.config(everyType());
        assertThat(config).contains("Transactional = TRUE").contains("BumpEpochPerTxn = FALSE")
                .contains("Records <- TR_Records").contains("INVARIANTS\n    TraceIncomplete\n").contains("CHECK_DEADLOCK FALSE")
                .doesNotContain("TraceLog");
        assertThat(exporter.safetyInvariants()).as("a known-bad protocol is validated to show its anomaly").isEmpty();
    }

    @Test
    void severalTopicsAreNumberedAndHugeValuesCannotMatchAnything() {
        List<Event> events = List.of(new ProducerSend(100, 1, new TopicPartition("b", 0), -1),
                new ProducerSend(100, 5_000_000_000L, new TopicPartition("a", 3), -1));
        String module = new TraceExporter(Mode.AT_LEAST_ONCE, TraceExporter.Protocol.KAFKA_4).dataModule(events);
        assertThat(module).contains("partition |-> 1, transactionIndex").contains("partition |-> 0, transactionIndex")
                .contains("recordId |-> \"long:5000000000\"");
        assertThat(new TraceExporter(Mode.AT_LEAST_ONCE, TraceExporter.Protocol.KAFKA_4).config(events))
                .contains("BumpEpochPerTxn = TRUE").contains("Idempotence = FALSE").contains("Retries = TRUE")
                .contains("    TraceIncomplete\n    NoLoss\n    AckedDurable\n").doesNotContain("NoDuplicate");
        assertThat(new TraceExporter(Mode.EXACTLY_ONCE, TraceExporter.Protocol.KAFKA_4).safetyInvariants())
                .contains("AtomicCommit", "ZombieFenced", "NoDuplicate");
    }

    @Test
    void aFailedSendCarriesItsErrorCodeAndTheCoordinatorsInitAnswersTheirSender() {
        assertThat(TraceExporter.errorCode("BrokerErrorException: INVALID_PRODUCER_EPOCH: transaction verification failed"))
                .isEqualTo("INVALID_PRODUCER_EPOCH");
        assertThat(TraceExporter.errorCode("TransactionAbortedException: Failing batch since transaction was aborted"))
                .isEqualTo("TransactionAbortedException");
        assertThat(TraceExporter.errorCode(null)).isEmpty();
        TopicPartition tp = new TopicPartition("events", 0);
        List<Event> events = List.of(new NetworkDeliver(101, 0, 1, "InitProducerIdRequest"),
                new NetworkDeliver(100, 0, 2, "InitProducerIdRequest"),
                new CoordinatorInitProducerId(0, "t", 0, (short) 1),
                new ProducerSendFailed(100, 7, tp, "BrokerErrorException: NETWORK_EXCEPTION: Disconnected from node 0"));
        TraceExporter eo = new TraceExporter(Mode.EXACTLY_ONCE, TraceExporter.Protocol.KAFKA_4);
        assertThat(eo.dataModule(events)).contains("TR_InitFrom == (3 :> 100)\n")
                .contains("errorCode |-> \"NETWORK_EXCEPTION\"]");
        assertThat(eo.config(events)).contains("RequestLossLimit = 0\n").contains("TimeoutLimit = 1\n")
                .contains("MaxInFlight = 1000000");
    }

    @Test
    void anEmptyRunStillExports() {
        String module = exporter.dataModule(List.of());
        assertThat(module).contains("TraceLog == <<\n>>").contains("TR_Producers == {100}").contains("TR_Brokers == {0}");
    }

    @Test
    void namesTheTraceSpecOfEachMode() {
        assertThat(Arrays.stream(Mode.values()).map(TraceExporter::traceSpec))
                .containsExactly("TraceAtMostOnce", "TraceAtLeastOnce", "TraceIdempotent", "TraceExactlyOnce");
    }
}
