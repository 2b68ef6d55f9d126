package io.cronexecutor.job;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SizeParserTest {

    @Test
    void sizesAreBytesOrBinaryUnits() {
        assertEquals(512, SizeParser.parse("512"));
        assertEquals(512, SizeParser.parse("512b"));
        assertEquals(64 * 1024, SizeParser.parse("64KiB"));
        assertEquals(64 * 1024, SizeParser.parse("64k"));
        assertEquals(8L << 20, SizeParser.parse("8 MiB"));
        assertEquals(8L << 20, SizeParser.parse("8mb"));
    }

    @Test
    void anythingElseIsRefusedRatherThanOverflowing() {
        assertThrows(IllegalArgumentException.class, () -> SizeParser.parse("99999999999999999999"));
        assertThrows(IllegalArgumentException.class, () -> SizeParser.parse("8GiB"));
        assertThrows(IllegalArgumentException.class, () -> SizeParser.parse("-1"));
        assertThrows(IllegalArgumentException.class, () -> SizeParser.parse(""));
    }
}
