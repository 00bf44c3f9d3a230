package dev.deliverycheck.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** TLC's function literals, read back to find the actor of a step. */
class TlaFunctionsTest {
    @Test
    void readsKeysAndValuesWithNestedTuplesRecordsAndStrings() {
        Map<String, String> f = TlaFunctions.parse("( 100 :> [ p |-> 0, recs |-> <<1, 2>> ] @@ 101 :> \"a :> b @@ c\" )");
        assertThat(f).containsExactly(Map.entry("100", "[ p |-> 0, recs |-> <<1, 2>> ]"), Map.entry("101", "\"a :> b @@ c\""));
        assertThat(TlaFunctions.parse("(<<0, 100>> :> <<>> @@ <<100, 0>> :> <<>>)")).containsOnlyKeys("<<0, 100>>", "<<100, 0>>");
    }

    @Test
    void aRecordASetOrANumberIsNotAFunctionLiteral() {
        assertThat(TlaFunctions.parse("[ lostTail |-> 0, crash |-> 1 ]")).isNull();
        assertThat(TlaFunctions.parse("{1, 2}")).isNull();
        assertThat(TlaFunctions.parse("3")).isNull();
    }

    @Test
    void changedKeysNameTheActor() {
        assertThat(TlaFunctions.changedKeys("(100 :> \"Init\" @@ 101 :> \"Down\")", "(100 :> \"Init\" @@ 101 :> \"Init\")",
                Set.of("100", "101"))).containsExactly("101");
        assertThat(TlaFunctions.changedKeys(null, "(100 :> 1)", Set.of("100"))).isEmpty();
    }
}
