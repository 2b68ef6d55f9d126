package io.cronexecutor.job;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DurationParserTest {

    @Test
    void shortFormsUseTheirUnit() {
        assertEquals(Duration.ofMillis(250), DurationParser.parse("250ms"));
        assertEquals(Duration.ofSeconds(30), DurationParser.parse("30s"));
        assertEquals(Duration.ofMinutes(10), DurationParser.parse("10m"));
        assertEquals(Duration.ofHours(2), DurationParser.parse(" 2h "));
        assertEquals(Duration.ofDays(1), DurationParser.parse("1d"));
    }

    @Test
    void isoFormIsAccepted() {
        assertEquals(Duration.ofHours(2), DurationParser.parse("PT2H"));
        assertEquals(Duration.ofSeconds(90), DurationParser.parse("PT1M30S"));
    }

    @Test
    void garbageAndNegativeDurationsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> DurationParser.parse("ten minutes"));
        assertThrows(IllegalArgumentException.class, () -> DurationParser.parse("5 s"));
        assertThrows(IllegalArgumentException.class, () -> DurationParser.parse("-PT5S"));
    }
}
