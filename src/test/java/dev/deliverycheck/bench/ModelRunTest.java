package dev.deliverycheck.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.producer.ProducerConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bench simulator obeys its cost model and is deterministic. */
class ModelRunTest {
    private static ProducerConfig config(Object... keyValues) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return ProducerConfig.of(m);
    }

    @Test
    void aLoneRecordTakesTwoNetworkDelaysAndOneServiceTime() {
        // 100 µs each way, 200 µs of broker work, nothing else: every record 400 µs, none waits
        CostModel model = new CostModel(100, 200, 0, 0);
        Workload w = Workload.of(1, 4, config(), 1000, 0.05, 0.2, 0.1, 1);
        Measurement r = ModelRun.run(w, model);
        assertThat(r.acked()).isEqualTo(200);
        assertThat(r.latencyUs().getMinValue()).isEqualTo(400);
        assertThat(r.latencyUs().getMaxValue()).isEqualTo(400);
        assertThat(r.meanRecordsPerBatch()).isEqualTo(1.0);
        assertThat(r.brokerBusyShare()[0]).isCloseTo(200.0 * 200e-6 / 0.2, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void aBrokerWorksOnOneRequestAtATimeSoRecordsBatchUpWhenItIsTheBottleneck() {
        // the broker can take 1000 requests/s; 20 000 records/s arrive
        CostModel model = new CostModel(10, 1000, 0, 0);
        Workload w = Workload.of(1, 4, config(), 20_000, 0.05, 0.2, 0.5, 1);
        Measurement r = ModelRun.run(w, model);
        assertThat(r.brokerBusyShare()[0]).isGreaterThan(0.95).isLessThanOrEqualTo(1.0);
        assertThat(r.requestsPerSecond()).isLessThanOrEqualTo(1000.0 + 5);
        assertThat(r.meanRecordsPerBatch()).isGreaterThan(4);
        assertThat(r.recordsPerSecond()).isGreaterThan(19_000);
    }

    @Test
    void aClientCostPerRequestAddsToALoneRecordsLatencyAndCapsTheRequestRate() {
        // 300 µs of the producer's time per request: a lone record takes 100 + 300 + 200 + 100 µs
        Measurement lone = ModelRun.run(Workload.of(1, 4, config(), 1000, 0.05, 0.2, 0.1, 1),
                new CostModel(100, 200, 0, 0, 300));
        assertThat(lone.latencyUs().getMinValue()).isEqualTo(700);
        assertThat(lone.latencyUs().getMaxValue()).isEqualTo(700);
        // 1 000 µs per request: at most 1 000 requests/s leave the producer, though the broker could take 20 000
        Measurement capped = ModelRun.run(Workload.of(1, 4, config(), 20_000, 0.05, 0.2, 0.5, 1),
                new CostModel(10, 50, 0, 0, 1000));
        assertThat(capped.requestsPerSecond()).isLessThanOrEqualTo(1000.0 + 5);
        assertThat(capped.brokerBusyShare()[0]).isLessThan(0.1);
        assertThat(capped.meanRecordsPerBatch()).isGreaterThan(4);
        // without the client term the same load goes out in requests of about one record
        Measurement free = ModelRun.run(Workload.of(1, 4, config(), 20_000, 0.05, 0.2, 0.5, 1), new CostModel(10, 50, 0, 0));
        assertThat(free.requestsPerSecond()).isGreaterThan(10_000);
    }

    @Test
    void aClientCostPerBatchAndPerRecordIsPaidOnTheSendersTime() {
        // a lone record in a one-batch request: 100 + (300 + 50 + 2) + 200 + 100 µs
        Measurement lone = ModelRun.run(Workload.of(1, 4, config(), 1000, 0.05, 0.2, 0.1, 1),
                new CostModel(100, 200, 0, 0, 300, 0, 50, 2));
        assertThat(lone.latencyUs().getMinValue()).isEqualTo(752);
        assertThat(lone.latencyUs().getMaxValue()).isEqualTo(752);
    }

    @Test
    void aSlowBrokerIsBusierForTheSameWork() {
        CostModel model = new CostModel(10, 50, 0, 0);
        Workload w = Workload.of(2, 2, config(ProducerConfig.PARTITIONER_CONFIG, "round-robin"), 5000, 0.02, 0.1, 0.2, 1);
        Measurement r = ModelRun.run(w, model, new double[] {4, 1});
        assertThat(r.shareOfBroker(0)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.01));
        assertThat(r.brokerBusyShare()[0]).isCloseTo(4 * r.brokerBusyShare()[1], org.assertj.core.data.Offset.offset(0.02));
    }

    @Test
    void tooLittleBufferMemoryBlocksTheApplicationAndCapsThroughput() {
        CostModel model = new CostModel(50, 100, 0, 0);
        Workload w = Workload.of(1, 8, config(ProducerConfig.BATCH_SIZE_CONFIG, 16384,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 16384L, ProducerConfig.LINGER_MS_CONFIG, 5), 50_000, 0.02, 0.1, 0.2, 1)
                .withKeys(true);
        Measurement r = ModelRun.run(w, model);
        assertThat(r.blockedShare()).isGreaterThan(0.5);
        assertThat(r.recordsPerSecond()).isLessThan(25_000);
        assertThat(r.failed()).isZero();
    }

    @Test
    void theSameWorkloadGivesTheSameFigures() {
        Workload w = Workload.of(3, 16, config(ProducerConfig.PARTITIONER_CONFIG, "sticky"), 20_000, 0.02, 0.1, 0.2, 7);
        Measurement a = ModelRun.run(w, CostModel.DEFAULT);
        Measurement b = ModelRun.run(w, CostModel.DEFAULT);
        assertThat(a.figures()).isEqualTo(b.figures());
        assertThat(a.latencyUs()).isEqualTo(b.latencyUs());
        assertThat(a.recordsPerBroker()).isEqualTo(b.recordsPerBroker());
    }

    @Test
    void aStallTermWithNothingToDrawLeavesEveryFigureAsWithout() {
        Workload w = Workload.of(3, 16, config(ProducerConfig.PARTITIONER_CONFIG, "uniform-sticky"), 50_000, 0.02, 0.1,
                0.2, 7);
        Measurement none = ModelRun.run(w, CostModel.DEFAULT);
        ServiceStalls zero = new ServiceStalls(2, 100, 0.1, 0, 300, Map.of(), java.util.List.of(500.0, 900.0));
        Measurement zeroShare = ModelRun.run(w, CostModel.DEFAULT.withStalls(zero));
        Measurement nullTerm = ModelRun.run(w, CostModel.DEFAULT.withStalls(null));
        assertThat(zeroShare.figures()).isEqualTo(none.figures());
        assertThat(zeroShare.latencyUs()).isEqualTo(none.latencyUs());
        assertThat(nullTerm.figures()).isEqualTo(none.figures());
        assertThat(nullTerm.latencyUs()).isEqualTo(none.latencyUs());
    }

    @Test
    void stallsLengthenTheTailNotTheMedianAndASeedRepeatsThem() {
        // every service 200 µs; 50 stalls a second of 1 000 µs each: the broker is stalled 5 % of the time, so most
        // records still take 400 µs, and those that meet a stall wait for its end
        ServiceStalls tail = new ServiceStalls(2, 0, 0.05, 50, 1000, Map.of(), java.util.List.of(1000.0, 1000.0));
        CostModel model = new CostModel(100, 200, 0, 0).withStalls(tail);
        Workload w = Workload.of(1, 4, config(), 1000, 0.05, 2.0, 0.1, 1);
        Measurement r = ModelRun.run(w, model);
        assertThat(r.latencyUs().getValueAtPercentile(50)).isEqualTo(400);
        assertThat(r.latencyUs().getValueAtPercentile(99)).isGreaterThan(1000);
        assertThat(r.latencyUs().getMaxValue()).as("a few stalls at most, back to back").isLessThan(5_000);
        double delayed = (double) r.latencyUs().getCountBetweenValues(450, 2000) / r.latencyUs().getTotalCount();
        assertThat(delayed).as("about 50/s × (1 000 + 200) µs of the records").isBetween(0.02, 0.12);
        assertThat(ModelRun.run(w, model).latencyUs()).isEqualTo(r.latencyUs());
        assertThat(ModelRun.run(Workload.of(1, 4, config(), 1000, 0.05, 2.0, 0.1, 2), model).latencyUs())
                .as("another seed, other stalls").isNotEqualTo(r.latencyUs());
        assertThat(ModelRun.run(w, model.withStalls(null)).latencyUs().getMaxValue()).isEqualTo(400);
    }

    @Test
    void stallsComeWithTimeNotWithRequests() {
        // the same stalls (5 % of the time) at 10× the request rate: records meet them about as often, not 10× as often
        ServiceStalls tail = new ServiceStalls(2, 0, 0.05, 50, 1000, Map.of(), java.util.List.of(1000.0, 1000.0));
        CostModel model = new CostModel(10, 20, 0, 0).withStalls(tail);
        Measurement slow = ModelRun.run(Workload.of(1, 4, config(), 1000, 0.05, 2.0, 0.1, 1), model);
        Measurement fast = ModelRun.run(Workload.of(1, 4, config(), 10_000, 0.05, 2.0, 0.1, 1), model);
        double slowShare = (double) slow.latencyUs().getCountBetweenValues(100, 5000) / slow.latencyUs().getTotalCount();
        double fastShare = (double) fast.latencyUs().getCountBetweenValues(100, 5000) / fast.latencyUs().getTotalCount();
        assertThat(fastShare).isBetween(slowShare / 2, slowShare * 2);
    }

    @Test
    void theClusterCountsItsStallsAndDrawsNoneWithoutTheTerm() {
        ServiceStalls often = new ServiceStalls(2, 0, 1.0, 1_000_000, 50, Map.of(), java.util.List.of(50.0));
        ModelCluster stalled = new ModelCluster(1, new CostModel(1, 10, 0, 0).withStalls(often), ModelCluster.uniform(1),
                dev.deliverycheck.broker.BrokerConfig.DEFAULT, 3);
        ModelCluster plain = new ModelCluster(1, new CostModel(1, 10, 0, 0), ModelCluster.uniform(1),
                dev.deliverycheck.broker.BrokerConfig.DEFAULT, 3);
        for (ModelCluster c : java.util.List.of(stalled, plain)) {
            dev.deliverycheck.producer.ProducerNode<byte[], byte[]> p = c.addProducer(config(), 1);
            for (int i = 0; i < 3; i++) {
                p.send(new dev.deliverycheck.producer.ProducerRecord<>(ModelCluster.TOPIC, 0, null, new byte[10]));
                c.runUntil(c.nowNs() + 5_000_000);
            }
            assertThat(p.hasIncomplete()).isFalse();
        }
        assertThat(stalled.stalls()[0]).as("every Produce (and the producer id request) met stalls").isGreaterThanOrEqualTo(3);
        assertThat(stalled.stalls()[1]).isGreaterThanOrEqualTo(50_000L * 3);
        assertThat(plain.stalls()).containsExactly(0, 0);
    }

    @Test
    void aClientOnTheBrokersCoreAddsItsTimeToTheBrokersNotInParallel() {
        // a lone record: 100 + 300 (sender) + 200 (broker) + 100 µs either way: one request, nothing to overlap
        CostModel own = new CostModel(100, 200, 0, 0, 300);
        Workload lone = Workload.of(1, 4, config(), 1000, 0.05, 0.2, 0.1, 1);
        Measurement shared = ModelRun.run(lone, own.withClientOnBrokerCore(true));
        assertThat(shared.latencyUs().getMinValue()).isEqualTo(700);
        assertThat(shared.latencyUs().getMaxValue()).isEqualTo(700);
        // saturated: 200 µs of broker and 100 µs of sender per request overlap on cores of their own (≤ 5 000
        // requests/s) and add up on one (≤ 3 333 requests/s)
        CostModel model = new CostModel(10, 200, 0, 0, 100);
        Workload busy = Workload.of(1, 4, config(), 100_000, 0.05, 0.3, 0.5, 1);
        Measurement parallel = ModelRun.run(busy, model);
        Measurement series = ModelRun.run(busy, model.withClientOnBrokerCore(true));
        assertThat(parallel.requestsPerSecond()).isBetween(4_500.0, 5_005.0);
        assertThat(series.requestsPerSecond()).isBetween(3_000.0, 3_340.0);
        assertThat(series.brokerBusyShare()[0]).as("the sender's time is counted as the broker's").isGreaterThan(0.95);
        assertThat(series.latencyMs(50)).isGreaterThan(parallel.latencyMs(50));
    }

    @Test
    void aClientOnTheBrokersCoreChangesNothingForAFreeClientAndRepeatsForASeed() {
        Workload w = Workload.of(1, 16, config(ProducerConfig.PARTITIONER_CONFIG, "uniform-sticky"), 50_000, 0.02, 0.2,
                0.2, 7);
        CostModel free = new CostModel(20, 170, 15, 1.2, 0, 0.3);
        Measurement off = ModelRun.run(w, free);
        Measurement on = ModelRun.run(w, free.withClientOnBrokerCore(true));
        assertThat(on.figures()).isEqualTo(off.figures());
        assertThat(on.latencyUs()).isEqualTo(off.latencyUs());
        // with a client cost and stalls: the same seed gives the same run, another seed another
        ServiceStalls tail = new ServiceStalls(2, 0, 0.1, 200, 1000, Map.of(), java.util.List.of(200.0, 1000.0, 3000.0));
        CostModel model = new CostModel(20, 170, 15, 1.2, 100, 0.3, 5, 0.1).withStalls(tail).withClientOnBrokerCore(true);
        Measurement a = ModelRun.run(w, model);
        assertThat(ModelRun.run(w, model).figures()).isEqualTo(a.figures());
        assertThat(ModelRun.run(w, model).latencyUs()).isEqualTo(a.latencyUs());
        Workload other = Workload.of(1, 16, config(ProducerConfig.PARTITIONER_CONFIG, "uniform-sticky"), 50_000, 0.02,
                0.2, 0.2, 8);
        assertThat(ModelRun.run(other, model).latencyUs()).isNotEqualTo(a.latencyUs());
        assertThat(ModelRun.run(w, model.withClientOnBrokerCore(false)).latencyUs()).isNotEqualTo(a.latencyUs());
    }

    @Test
    void theSimulatorNeedsAFiniteRateAndOneSlowdownPerBroker() {
        Workload unpaced = Workload.of(1, 1, config(), 0, 0, 0.1, 0, 1);
        assertThatThrownBy(() -> ModelRun.run(unpaced, CostModel.DEFAULT)).isInstanceOf(IllegalArgumentException.class);
        Workload w = Workload.of(2, 2, config(), 100, 0, 0.1, 0, 1);
        assertThatThrownBy(() -> ModelRun.run(w, CostModel.DEFAULT, new double[] {1}))
                .hasMessageContaining("one slowdown factor per broker");
    }
}
