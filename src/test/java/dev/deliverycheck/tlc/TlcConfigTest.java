package dev.deliverycheck.tlc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TlcConfigTest {
    @Test
    void readsInvariantsAndPropertiesButNotComments() {
        TlcConfig c = TlcConfig.parse("""
                \\* PROPERTY NotThis
                CONSTANTS N = 3
                SPECIFICATION FairSpec
                INVARIANTS
                    TypeOK (* Hidden *)
                    NoLoss
                PROPERTIES
                    SendCompletes
                    EventuallyQuiescent
                INVARIANT Extra
                """);
        assertThat(c.invariants()).containsExactly("TypeOK", "NoLoss", "Extra");
        assertThat(c.properties()).containsExactly("SendCompletes", "EventuallyQuiescent");
        assertThat(c.checksLiveness()).isTrue();
        assertThat(TlcConfig.parse("INIT Init\nNEXT Next\nINVARIANT TypeOK\n").checksLiveness()).isFalse();
    }

    private static TlcResult result(int exit, Outcome outcome) {
        return new TlcResult(exit, outcome, 10, 20, -1, List.of("A", "B"), List.of(), 1.0);
    }

    @Test
    void namesAnUnnamedTemporalViolationByTheOnePropertyListed() {
        TlcConfig one = TlcConfig.parse("SPECIFICATION S\nPROPERTY SendCompletes\n");
        TlcResult lasso = result(13, Outcome.violates(TlcConfig.UNNAMED_TEMPORAL));
        TlcResult named = one.nameTemporalViolation(lasso);
        assertThat(named.outcome()).isEqualTo(Outcome.violates("SendCompletes"));
        assertThat(named.counterexample()).containsExactly("A", "B");
        assertThat(named.distinctStates()).isEqualTo(10);
    }

    @Test
    void leavesEveryOtherVerdictAlone() {
        TlcConfig one = TlcConfig.parse("SPECIFICATION S\nPROPERTY SendCompletes\n");
        TlcConfig two = TlcConfig.parse("SPECIFICATION S\nPROPERTIES P Q\n");
        TlcResult lasso = result(13, Outcome.violates(TlcConfig.UNNAMED_TEMPORAL));
        TlcResult safety = result(12, Outcome.violates("NoLoss"));
        TlcResult error = result(150, Outcome.error("parse"));
        assertThat(two.nameTemporalViolation(lasso)).isSameAs(lasso);
        assertThat(one.nameTemporalViolation(safety)).isSameAs(safety);
        assertThat(one.nameTemporalViolation(error)).isSameAs(error);
        assertThat(TlcConfig.parse("INIT I\nNEXT N\n").nameTemporalViolation(lasso)).isSameAs(lasso);
    }
}
