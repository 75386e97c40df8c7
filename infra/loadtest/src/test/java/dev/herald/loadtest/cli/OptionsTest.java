package dev.herald.loadtest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void aValueThatStartsWithTwoDashesIsGivenAfterAnEqualsSign() {
        Options options = Options.parse(List.of("history",
                "--jvm-flags=--add-opens=java.base/java.lang=ALL-UNNAMED", "--rate", "500"));

        assertEquals("--add-opens=java.base/java.lang=ALL-UNNAMED", options.text("jvm-flags").orElseThrow());
        assertEquals(500, options.integer("rate", 0));
    }

    @Test
    void anOptionFollowedByAnotherOptionIsAFlag() {
        Options options = Options.parse(List.of("durable", "--in-process", "--batch", "100"));

        assertEquals("true", options.text("in-process").orElseThrow());
        assertEquals(100, options.integer("batch", 0));
    }

    @Test
    void aWordWithoutDashesWhereAnOptionBelongsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("durable", "batch", "100")));
    }
}
