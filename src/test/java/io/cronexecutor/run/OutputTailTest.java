package io.cronexecutor.run;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputTailTest {

    @Test
    void shortOutputIsKeptWhole() {
        OutputTail tail = new OutputTail(100);
        tail.addLine("one");
        tail.addLine("two");
        assertEquals("one\ntwo\n", tail.text());
        assertFalse(tail.truncated());
    }

    @Test
    void oldestLinesAreDroppedAndTheDropIsMarked() {
        OutputTail tail = new OutputTail(14);
        for (int i = 0; i < 100; i++) {
            tail.addLine("line" + i);
        }
        assertTrue(tail.truncated());
        assertEquals(OutputTail.TRUNCATION_MARK + "line98\nline99\n", tail.text());
    }

    @Test
    void lineLongerThanTheLimitKeepsItsEnd() {
        OutputTail tail = new OutputTail(5);
        tail.addLine("abcdefghij");
        assertEquals(OutputTail.TRUNCATION_MARK + "ghij\n", tail.text());
    }
}
