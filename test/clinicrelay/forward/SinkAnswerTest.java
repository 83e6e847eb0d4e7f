package clinicrelay.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the answers of a target are read: Kafka's offsets[] fail closed, and which whole refusals split a batch. */
class SinkAnswerTest {
    private static SinkAnswer offsets(String json, int records) {
        return KafkaRestSink.offsets(json.getBytes(StandardCharsets.UTF_8), records);
    }

    @Test
    void aKafkaRecordCountsAsWrittenOnlyWithANullErrorCodeAndAnOffset() {
        SinkAnswer answer = offsets("{\"offsets\":[{\"partition\":0,\"offset\":7,\"error_code\":null,\"error\":null},"
                + "{\"partition\":null,\"offset\":null,\"error_code\":2,\"error\":\"not the leader\"},"
                + "{\"partition\":0,\"offset\":8},"
                + "{\"partition\":0,\"offset\":9,\"error_code\":{\"odd\":true}},"
                + "{\"partition\":0,\"error_code\":null},"
                + "\"not an object\"]}", 6);
        assertEquals(Arrays.asList(null, "kafka error_code 2", null, "kafka record not written", "kafka record not written",
                "kafka record not written"), answer.failures());
        assertFalse(answer.allAccepted());
    }

    @Test
    void anAnswerThatDoesNotAccountForEveryRecordFailsThemAll() {
        assertEquals(List.of("answer does not list an offset per record", "answer does not list an offset per record"),
                offsets("{\"offsets\":[{\"partition\":0,\"offset\":1,\"error_code\":null}]}", 2).failures());
        assertEquals(List.of("answer is not JSON"), offsets("<html>", 1).failures());
    }

    @Test
    void onlyAWholeRefusalForContentSplitsABatch() {
        assertTrue(SinkAnswer.failed(3, "http 413", null).requestRefused());
        assertTrue(SinkAnswer.failed(3, "http 422", null).requestRefused());
        assertFalse(SinkAnswer.failed(3, "http 503", null).requestRefused());
        assertFalse(SinkAnswer.accepted(3).requestRefused(), "an accepted batch is not refused");
        assertFalse(SinkAnswer.perEvent(Arrays.asList(null, "http 413"), null).requestRefused());
    }
}
