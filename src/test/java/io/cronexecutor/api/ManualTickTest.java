package io.cronexecutor.api;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManualTickTest {

    @Test
    void noBodyMeansNoDataAndNoAttributes() {
        for (String body : new String[]{null, "", "  \n"}) {
            ManualTick tick = ManualTick.parse(body);
            assertEquals(0, tick.data().length);
            assertEquals(Map.of(), tick.attributes());
        }
    }

    @Test
    void dataAndAttributesAreTakenAsGiven() {
        ManualTick tick = ManualTick.parse("{\"data\": \"line one\\nl\u00e9ne two\", \"attributes\": {\"mode\": \"full\", \"label\": \"a b; rm -rf /\"}}");
        assertArrayEquals("line one\nl\u00e9ne two".getBytes(StandardCharsets.UTF_8), tick.data());
        assertEquals(List.of("mode", "label"), List.copyOf(tick.attributes().keySet()));
        assertEquals("a b; rm -rf /", tick.attributes().get("label"));
    }

    @Test
    void nullFieldsAreLikeAbsentOnes() {
        ManualTick tick = ManualTick.parse("{\"data\": null, \"attributes\": null}");
        assertEquals(0, tick.data().length);
        assertEquals(Map.of(), tick.attributes());
    }

    @Test
    void malformedJsonNamesWhere() {
        String message = refused("{\"data\": \"x\",");
        assertTrue(message.startsWith("request body: not valid JSON at line 1, column"), message);
    }

    @Test
    void aBodyThatIsNotAnObjectShowsWhatIsExpected() {
        assertEquals("request body: expected a JSON object such as " + ManualTick.EXAMPLE + ", got an array", refused("[1]"));
    }

    @Test
    void misspeltFieldIsAnErrorNotIgnored() {
        assertTrue(refused("{\"atributes\": {}}").startsWith("request body: unknown field 'atributes'; expected only data and attributes"));
    }

    @Test
    void wrongTypesAreNamedWithTheirPath() {
        assertEquals("data: expected a string, got a number", refused("{\"data\": 3}"));
        assertEquals("attributes: expected an object of names to strings, got an array", refused("{\"attributes\": [\"a\"]}"));
        assertEquals("attributes.retries: expected a string, got a number", refused("{\"attributes\": {\"retries\": 3}}"));
    }

    @Test
    void reservedNamesAreRefused() {
        assertTrue(refused("{\"attributes\": {\"cron-tick-id\": \"mine\"}}").startsWith("attributes.cron-tick-id: names starting with 'cron-'"));
        assertTrue(refused("{\"attributes\": {\"googclient_x\": \"1\"}}").startsWith("attributes.googclient_x: names starting with"));
    }

    @Test
    void namesThatWouldMeetInOneVariableAreRefused() {
        assertEquals("attributes: 'run-mode' and 'run_mode' would both reach the command as CRON_ATTR_RUN_MODE; rename one",
                refused("{\"attributes\": {\"run-mode\": \"a\", \"run_mode\": \"b\"}}"));
    }

    @Test
    void pubSubLimitsOnAttributesAreChecked() {
        assertEquals("attributes.v: a value may have at most 1024 bytes (Pub/Sub's limit)",
                refused("{\"attributes\": {\"v\": \"" + "x".repeat(1025) + "\"}}"));
        StringBuilder many = new StringBuilder("{\"attributes\": {");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("\"a").append(i).append("\": \"v\"");
        }
        assertEquals("attributes: at most 100 (Pub/Sub's limit), got 101", refused(many.append("}}").toString()));
        assertEquals("attributes: a name must not be empty", refused("{\"attributes\": {\"\": \"v\"}}"));
    }

    private static String refused(String body) {
        return assertThrows(IllegalArgumentException.class, () -> ManualTick.parse(body)).getMessage();
    }
}
