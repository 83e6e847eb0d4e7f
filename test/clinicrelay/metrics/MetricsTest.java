package clinicrelay.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The registry's text format: counters by labels, histograms with cumulative buckets whose bounds include the bound. */
class MetricsTest {
    @Test
    void aValueOnABoundCountsInThatBucketAndBucketsAreCumulative() {
        Metrics metrics = new Metrics();
        Metrics.Histogram batches = metrics.histogram("batch_records", "Records per batch.", 1, 2, 4);
        batches.observe(1);
        batches.observe(2);
        batches.observe(3);
        batches.observe(9);
        String text = metrics.render();
        assertTrue(text.contains("batch_records_bucket{le=\"1\"} 1\n"), text);
        assertTrue(text.contains("batch_records_bucket{le=\"2\"} 2\n"), text);
        assertTrue(text.contains("batch_records_bucket{le=\"4\"} 3\n"), text);
        assertTrue(text.contains("batch_records_bucket{le=\"+Inf\"} 4\n"), text);
        assertTrue(text.contains("batch_records_sum 15\n") && text.contains("batch_records_count 4\n"), text);
        assertTrue(text.contains("# TYPE batch_records histogram\n"), text);
    }

    @Test
    void countersKeepTheirLabelsEscapedAndBounded() {
        Metrics metrics = new Metrics();
        Metrics.Counter calls = metrics.counter("calls_total", "Calls.", "outcome");
        calls.inc("ok");
        calls.inc("ok");
        calls.inc("say \"hi\"");
        for (int i = 0; i < Metrics.LABEL_SETS_MAX + 10; i++) {
            calls.inc("x" + i);
        }
        String text = metrics.render();
        assertTrue(text.contains("calls_total{outcome=\"ok\"} 2\n"), text);
        assertTrue(text.contains("calls_total{outcome=\"say \\\"hi\\\"\"} 1\n"), text);
        assertTrue(text.lines().filter(l -> l.startsWith("calls_total{")).count() <= Metrics.LABEL_SETS_MAX, "bounded");
    }
}
