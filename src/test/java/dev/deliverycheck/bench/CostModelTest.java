package dev.deliverycheck.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.protocol.EndTxnRequest;
import dev.deliverycheck.protocol.ProduceRequest;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostModelTest {
    private static RecordBatch batch(int partition, int records) {
        List<Record> rs = new java.util.ArrayList<>();
        for (int i = 0; i < records; i++) {
            rs.add(Record.withId(i, 0, null, new byte[100]));
        }
        return RecordBatch.plain(new TopicPartition("t", partition), rs);
    }

    @Test
    void aProduceRequestCostsPerRequestPlusPerBatchPlusPerByte() {
        CostModel model = new CostModel(50, 100, 10, 2);
        RecordBatch a = batch(0, 3);
        RecordBatch b = batch(1, 1);
        ProduceRequest r = new ProduceRequest(1, null, (short) -1, 30_000, List.of(a, b));
        long bytes = CostModel.REQUEST_HEADER_BYTES + a.sizeInBytes() + b.sizeInBytes();
        assertThat(model.serviceNs(r, 1)).isEqualTo(100_000 + 2 * 10_000 + 2 * bytes);
        assertThat(model.serviceNs(r, 3)).isEqualTo(3 * (100_000 + 2 * 10_000 + 2 * bytes));
    }

    /** Without stalls the model's JSON is what it was before the term (every other scenario's output unchanged). */
    @Test
    void theStallTermIsKeptByEveryVariantAndLeftOutOfTheJsonWhenAbsent() {
        ServiceStalls tail = new ServiceStalls(2, 10, 0.1, 20, 300, java.util.Map.of(), List.of(100.0, 500.0));
        CostModel model = new CostModel(50, 100, 10, 2, 30, 1, 4, 0.5).withStalls(tail);
        assertThat(model.withoutClientCost().stalls()).isSameAs(tail);
        assertThat(model.withoutPerBatchCost().stalls()).isSameAs(tail);
        assertThat(model.withClientCost(1, 2, 3).stalls()).isSameAs(tail);
        assertThat(model.withStalls(null).hasStalls()).isFalse();
        assertThat(model.hasStalls()).isTrue();
        assertThat(dev.deliverycheck.json.Json.write(CostModel.DEFAULT)).isEqualTo("{\"oneWayLatencyUs\":50.0,"
                + "\"perRequestUs\":150.0,\"perBatchUs\":15.0,\"perByteNs\":20.0,\"perRecordUs\":0.0,"
                + "\"clientPerRequestUs\":0.0,\"clientPerBatchUs\":0.0,\"clientPerRecordUs\":0.0}");
        assertThat(dev.deliverycheck.json.Json.write(model)).contains("\"stalls\":{\"thresholdOverMedian\":2.0");
        ProduceRequest r = new ProduceRequest(1, null, (short) -1, 30_000, List.of(batch(0, 3)));
        assertThat(model.serviceNs(r, 1)).as("the stalls are drawn by the simulator, not part of the service time")
                .isEqualTo(model.withStalls(null).serviceNs(r, 1));
    }

    /** The p50 term is a switch every variant keeps, in the JSON only when on (other scenarios' output unchanged). */
    @Test
    void theClientOnTheBrokersCoreIsKeptByEveryVariantAndLeftOutOfTheJsonWhenOff() {
        CostModel off = new CostModel(50, 100, 10, 2, 30, 1, 4, 0.5);
        CostModel on = off.withClientOnBrokerCore(true);
        assertThat(off.clientOnBrokerCore()).isFalse();
        assertThat(on.withoutClientCost().clientOnBrokerCore()).isTrue();
        assertThat(on.withoutPerBatchCost().clientOnBrokerCore()).isTrue();
        assertThat(on.withClientCost(1, 2, 3).clientOnBrokerCore()).isTrue();
        assertThat(on.withStalls(null).clientOnBrokerCore()).isTrue();
        assertThat(on.withClientOnBrokerCore(false)).isEqualTo(off);
        assertThat(dev.deliverycheck.json.Json.write(off)).doesNotContain("clientOnBrokerCore");
        assertThat(dev.deliverycheck.json.Json.write(on)).endsWith(",\"clientOnBrokerCore\":true}");
        ProduceRequest r = new ProduceRequest(1, null, (short) -1, 30_000, List.of(batch(0, 3)));
        assertThat(on.serviceNs(r, 1)).as("the simulator adds the sender's time, not the broker's service")
                .isEqualTo(off.serviceNs(r, 1));
        assertThat(on.clientNs(r)).isEqualTo(off.clientNs(r));
    }

    @Test
    void aPerRecordCostChargesEveryRecordOfTheRequest() {
        CostModel model = new CostModel(50, 100, 10, 2, 0, 1.5);
        RecordBatch a = batch(0, 3);
        RecordBatch b = batch(1, 1);
        ProduceRequest r = new ProduceRequest(1, null, (short) -1, 30_000, List.of(a, b));
        long bytes = CostModel.REQUEST_HEADER_BYTES + a.sizeInBytes() + b.sizeInBytes();
        assertThat(model.serviceNs(r, 1)).isEqualTo(100_000 + 2 * 10_000 + 2 * bytes + 4 * 1_500);
        assertThat(model.withoutClientCost().perRecordUs()).isEqualTo(1.5);
        assertThatThrownBy(() -> new CostModel(1, 1, 1, 1, 0, -1)).hasMessageContaining("perRecordUs");
    }

    @Test
    void theClientsTimeIsPerRequestPlusPerBatchPlusPerRecordOfAProduceRequest() {
        CostModel model = new CostModel(50, 100, 10, 2, 30, 0, 4, 0.5);
        ProduceRequest r = new ProduceRequest(1, null, (short) -1, 30_000, List.of(batch(0, 3), batch(1, 1)));
        assertThat(model.clientNs(r)).isEqualTo(30_000 + 2 * 4_000 + 4 * 500);
        assertThat(model.clientNs(new EndTxnRequest(1, "tx", 7, (short) 0, true))).isEqualTo(30_000);
        assertThat(model.hasClientCost()).isTrue();
        assertThat(model.withoutClientCost().hasClientCost()).isFalse();
        assertThat(model.withoutClientCost().clientNs(r)).isZero();
        assertThat(new CostModel(1, 1, 1, 1, 0, 0, 0.1, 0).hasClientCost()).isTrue();
        assertThat(model.withClientCost(1, 2, 3).clientPerBatchUs()).isEqualTo(2.0);
        assertThatThrownBy(() -> new CostModel(1, 1, 1, 1, 0, 0, -1, 0)).hasMessageContaining("clientPerBatchUs");
        assertThatThrownBy(() -> new CostModel(1, 1, 1, 1, 0, 0, 0, Double.NaN)).hasMessageContaining("clientPerRecordUs");
    }

    @Test
    void otherRequestsCostPerRequestPlusTheirHeader() {
        CostModel model = new CostModel(50, 100, 10, 2);
        EndTxnRequest r = new EndTxnRequest(1, "tx", 7, (short) 0, true);
        assertThat(model.serviceNs(r, 1)).isEqualTo(100_000 + 2L * CostModel.REQUEST_HEADER_BYTES);
        assertThat(model.oneWayLatencyNs()).isEqualTo(50_000);
    }

    @Test
    void withoutPerBatchCostDropsOnlyThatTerm() {
        CostModel m = CostModel.DEFAULT.withoutPerBatchCost();
        assertThat(m.perBatchUs()).isZero();
        assertThat(m.perRequestUs()).isEqualTo(CostModel.DEFAULT.perRequestUs());
        assertThat(m.perByteNs()).isEqualTo(CostModel.DEFAULT.perByteNs());
        assertThat(m.oneWayLatencyUs()).isEqualTo(CostModel.DEFAULT.oneWayLatencyUs());
    }

    @Test
    void negativeOrInfiniteCostsAreRefused() {
        assertThatThrownBy(() -> new CostModel(-1, 1, 1, 1)).hasMessageContaining("oneWayLatencyUs");
        assertThatThrownBy(() -> new CostModel(1, Double.NaN, 1, 1)).hasMessageContaining("perRequestUs");
        assertThatThrownBy(() -> new CostModel(1, 1, Double.POSITIVE_INFINITY, 1)).hasMessageContaining("perBatchUs");
        assertThatThrownBy(() -> new CostModel(1, 1, 1, 1, -0.5)).hasMessageContaining("clientPerRequestUs");
    }
}
