package dev.deliverycheck.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.env.EventSink;
import java.nio.file.Path;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KIP-360 over the wire: InitProducerId v3+ carries the producer id and epoch the client holds, and
 * the wire broker hands them to the coordinator: a re-initialisation keeps the producer id, its
 * retry is not bumped twice, an older identity is fenced; v2 has no such fields (a new instance).
 */
class WireInitProducerIdTest {
    @TempDir
    Path dir;
    private WireHarness harness;
    private RawClient client;

    @BeforeEach
    void start() throws Exception {
        harness = WireHarness.start(dir, 2, 1, BrokerConfig.DEFAULT, EventSink.NONE);
        client = new RawClient(harness.server.port());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            client.close();
        } finally {
            harness.close();
        }
    }

    private InitProducerIdResponseView init(int version, long pid, int epoch) throws Exception {
        InitProducerIdRequestData data = new InitProducerIdRequestData().setTransactionalId("tx")
                .setTransactionTimeoutMs(10_000);
        if (version >= 3) {
            data.setProducerId(pid).setProducerEpoch((short) epoch);
        }
        InitProducerIdResponse r = (InitProducerIdResponse) client.call(ApiKeys.INIT_PRODUCER_ID, (short) version, data);
        return new InitProducerIdResponseView(Errors.forCode(r.data().errorCode()), r.data().producerId(),
                r.data().producerEpoch());
    }

    private record InitProducerIdResponseView(Errors error, long producerId, short epoch) {
    }

    @Test
    void theIdentityAClientHoldsIsKeptRetriedAndFenced() throws Exception {
        InitProducerIdResponseView first = init(5, -1, -1);
        assertThat(first.error()).isEqualTo(Errors.NONE);
        long pid = first.producerId();
        assertThat(first.epoch()).isZero();
        assertThat(init(5, pid, 0)).isEqualTo(new InitProducerIdResponseView(Errors.NONE, pid, (short) 1));
        assertThat(init(4, pid, 0)).as("a retry: no second bump").isEqualTo(new InitProducerIdResponseView(Errors.NONE, pid, (short) 1));
        assertThat(init(5, pid, 1)).isEqualTo(new InitProducerIdResponseView(Errors.NONE, pid, (short) 2));
        assertThat(init(5, pid, 0).error()).as("an older identity").isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(init(2, pid, 2)).as("v2 carries no identity: a new instance")
                .isEqualTo(new InitProducerIdResponseView(Errors.NONE, pid, (short) 3));
    }
}
