package io.github.cartrecovery.rendering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Test;

class SqlListsTest {

    @Test
    void padsToTheNextPowerOfTwoWithTheLastValue() {
        assertThat(SqlLists.padded(List.of(7L))).containsExactly(7L);
        assertThat(SqlLists.padded(List.of(7L, 8L))).containsExactly(7L, 8L);
        assertThat(SqlLists.padded(List.of(7L, 8L, 9L))).containsExactly(7L, 8L, 9L, 9L);
        assertThat(SqlLists.padded(List.of("a", "b", "c", "d", "e"))).containsExactly("a", "b", "c", "d", "e", "e", "e", "e");
    }

    @Test
    void anyLengthUpToTheBatchGivesOneOfAFewStatementTexts() {
        HashSet<String> texts = new HashSet<>();
        for (int length = 1; length <= 50; length++) {
            List<Long> values = new ArrayList<>();
            for (long value = 0; value < length; value++) {
                values.add(value);
            }
            List<Long> padded = SqlLists.padded(values);
            assertThat(new HashSet<>(padded)).isEqualTo(new HashSet<>(values)); // the same rows match
            texts.add("IN (" + SqlLists.placeholders(padded.size()) + ")");
        }
        assertThat(texts).hasSize(7); // 1, 2, 4, 8, 16, 32, 64
    }

    @Test
    void anEmptyListIsRefused() {
        assertThatThrownBy(() -> SqlLists.padded(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one value");
    }
}
