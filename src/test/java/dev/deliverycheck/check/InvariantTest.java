package dev.deliverycheck.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class InvariantTest {

    @Test
    void tlaNamesAreTheOperatorNames() {
        assertThat(Arrays.stream(Invariant.values()).map(Invariant::tlaName))
                .containsExactly("NoDuplicate", "NoLoss", "AckedDurable", "PartitionOrder", "AtomicCommit", "ZombieFenced");
    }

    @Test
    void fromTlaNameRoundTrips() {
        for (Invariant invariant : Invariant.values()) {
            assertThat(Invariant.fromTlaName(invariant.tlaName())).isSameAs(invariant);
        }
    }

    @Test
    void unknownNameIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> Invariant.fromTlaName("NO_LOSS"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown invariant 'NO_LOSS', expected one of NoDuplicate, NoLoss, AckedDurable, "
                        + "PartitionOrder, AtomicCommit, ZombieFenced");
    }

    @Test
    void onlyAtomicCommitAndZombieFencedAreTransactional() {
        assertThat(Arrays.stream(Invariant.values()).filter(Invariant::transactionalOnly))
                .containsExactly(Invariant.ATOMIC_COMMIT, Invariant.ZOMBIE_FENCED);
    }

    @Test
    void onlyNoLossWaitsForASettledRun() {
        assertThat(Arrays.stream(Invariant.values()).filter(Invariant::settledOnly)).containsExactly(Invariant.NO_LOSS);
    }

    @Test
    void eachInvariantHasItsOwnChecker() {
        assertThat(Invariant.NO_DUPLICATE.checker()).isInstanceOf(NoDuplicateChecker.class);
        assertThat(Invariant.NO_LOSS.checker()).isInstanceOf(NoLossChecker.class);
        assertThat(Invariant.ACKED_DURABLE.checker()).isInstanceOf(AckedDurableChecker.class);
        assertThat(Invariant.PARTITION_ORDER.checker()).isInstanceOf(PartitionOrderChecker.class);
        assertThat(Invariant.ATOMIC_COMMIT.checker()).isInstanceOf(AtomicCommitChecker.class);
        assertThat(Invariant.ZOMBIE_FENCED.checker()).isInstanceOf(ZombieFencedChecker.class);
        for (Invariant invariant : Invariant.values()) {
            assertThat(invariant.checker().invariant()).isSameAs(invariant);
            assertThat(invariant.checker().check(new History()).invariant()).isSameAs(invariant);
        }
    }
}
