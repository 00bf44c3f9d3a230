package dev.deliverycheck.broker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.env.SeededRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Storage#checkName} is a hand-written one-pass scan (it runs on every simulated disk
 * write); these tests hold it to the naming rule as first written, a split on '/' and a
 * per-segment character test, on the edge cases and on many random names.
 */
class StorageNameTest {
    /** The naming rule in its plain form: the reference the fast scan must agree with. */
    private static boolean validByRule(String name) {
        if (name == null || name.isEmpty() || name.startsWith("/") || name.endsWith("/")) {
            return false;
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
            for (char c : segment.toCharArray()) {
                boolean asciiLetterOrDigit = c < 128 && Character.isLetterOrDigit(c);
                if (!asciiLetterOrDigit && c != '.' && c != '_' && c != '-') {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean accepted(String name) {
        try {
            assertThat(Storage.checkName(name)).isSameAs(name);
            return true;
        } catch (IllegalArgumentException refused) {
            assertThat(refused).hasMessage("invalid storage file name: " + name);
            return false;
        }
    }

    @Test
    void edgeCasesAreJudgedAsTheRuleSays() {
        List<String> valid = List.of("a", "log/events-0/00000000000000000000.log", "...", "a/.b", "a/..c", "-_.x");
        List<String> invalid = List.of("", "/", "/a", "a/", "a//b", ".", "..", "a/./b", "a/../b", "../a", "a/..",
                "a b", "a~tmp", "é", "a/ü/b", "a\\b");
        for (String name : valid) {
            assertThat(accepted(name)).as(name).isTrue();
        }
        for (String name : invalid) {
            assertThat(accepted(name)).as(name).isFalse();
        }
        assertThatThrownBy(() -> Storage.checkName(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomNamesAreJudgedAsTheRuleSays() {
        String alphabet = "aZ09./_-~ é";
        SeededRandom random = new SeededRandom(42);
        int valid = 0;
        for (int i = 0; i < 50_000; i++) {
            StringBuilder name = new StringBuilder();
            int length = random.nextInt(8);
            for (int j = 0; j < length; j++) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String candidate = name.toString();
            boolean expected = validByRule(candidate);
            assertThat(accepted(candidate)).as("'%s'", candidate).isEqualTo(expected);
            valid += expected ? 1 : 0;
        }
        // Both verdicts must be well represented, or the comparison proves little.
        assertThat(valid).isBetween(5_000, 45_000);
    }
}
