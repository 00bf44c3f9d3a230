package dev.deliverycheck.broker.txn;

import static dev.deliverycheck.broker.txn.TransactionState.COMPLETE_ABORT;
import static dev.deliverycheck.broker.txn.TransactionState.COMPLETE_COMMIT;
import static dev.deliverycheck.broker.txn.TransactionState.EMPTY;
import static dev.deliverycheck.broker.txn.TransactionState.ONGOING;
import static dev.deliverycheck.broker.txn.TransactionState.PREPARE_ABORT;
import static dev.deliverycheck.broker.txn.TransactionState.PREPARE_COMMIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransactionStateTest {
    /**
     * Kafka 4's TransactionState.validPreviousStates, turned around, without Dead and
     * PrepareEpochFence (PrepareAbort may follow an idle state: the abort of an empty transaction
     * under transaction version 2).
     */
    private static final Map<TransactionState, Set<TransactionState>> EXPECTED = Map.of(
            EMPTY, EnumSet.of(EMPTY, ONGOING, PREPARE_ABORT),
            ONGOING, EnumSet.of(ONGOING, PREPARE_COMMIT, PREPARE_ABORT),
            PREPARE_COMMIT, EnumSet.of(COMPLETE_COMMIT),
            PREPARE_ABORT, EnumSet.of(COMPLETE_ABORT),
            COMPLETE_COMMIT, EnumSet.of(EMPTY, ONGOING, PREPARE_ABORT),
            COMPLETE_ABORT, EnumSet.of(EMPTY, ONGOING, PREPARE_ABORT));

    @Test
    void everyPairOfStatesIsLegalExactlyWhenTheTableSaysSo() {
        for (TransactionState from : TransactionState.values()) {
            for (TransactionState to : TransactionState.values()) {
                boolean legal = EXPECTED.get(from).contains(to);
                assertThat(from.canTransitionTo(to)).as(from + " -> " + to).isEqualTo(legal);
                if (legal) {
                    assertThat(from.transitionTo(to)).isEqualTo(to);
                } else {
                    assertThatThrownBy(() -> from.transitionTo(to)).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining(from.kafkaName()).hasMessageContaining(to.kafkaName());
                }
            }
        }
    }

    @Test
    void kafkaNamesAndGroups() {
        assertThat(PREPARE_COMMIT.kafkaName()).isEqualTo("PrepareCommit");
        assertThat(EnumSet.allOf(TransactionState.class).stream().filter(TransactionState::isPrepare))
                .containsExactly(PREPARE_COMMIT, PREPARE_ABORT);
        assertThat(EnumSet.allOf(TransactionState.class).stream().filter(TransactionState::isIdle))
                .containsExactly(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
    }
}
