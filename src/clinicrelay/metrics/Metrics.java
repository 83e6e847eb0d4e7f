package clinicrelay.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A small Prometheus registry: counters with fixed label names, histograms with fixed
 * buckets, and gauges read when scraped. Label values are ours (sources, outcomes, channels,
 * call names), never request content or patient data. Thread-safe and lock-free on the
 * counting path.
 */
final class Metrics {
    /** Label sets kept per counter at most: a bug feeding free text cannot grow memory. */
    static final int LABEL_SETS_MAX = 200;

    private final List<Family> families = new ArrayList<>();

    private interface Family {
        void render(StringBuilder out);
    }

    /** A counter with named labels. */
    public final class Counter implements Family {
        private final String name;
        private final String help;
        private final String[] labelNames;
        private final Map<String, LongAdder> values = new ConcurrentHashMap<>();

        private Counter(String name, String help, String[] labelNames) {
            this.name = name;
            this.help = help;
            this.labelNames = labelNames;
        }

        /** Adds one for these label values (in the order of the label names). */
        public void inc(String... labelValues) {
            String labels = labels(labelNames, labelValues);
            LongAdder adder = values.get(labels);
            if (adder == null) {
                if (values.size() >= LABEL_SETS_MAX) {
                    return;
                }
                adder = values.computeIfAbsent(labels, l -> new LongAdder());
            }
            adder.increment();
        }

        @Override
        public void render(StringBuilder out) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                    .append("# TYPE ").append(name).append(" counter\n");
            values.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry ->
                    out.append(name).append(entry.getKey()).append(' ').append(entry.getValue().sum()).append('\n'));
        }
    }

    /** A histogram with fixed upper bounds (in the metric's unit). */
    public final class Histogram implements Family {
        private final String name;
        private final String help;
        private final double[] bounds;
        private final LongAdder[] buckets;
        private final LongAdder count = new LongAdder();
        private final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

        private Histogram(String name, String help, double[] bounds) {
            this.name = name;
            this.help = help;
            this.bounds = bounds;
            this.buckets = new LongAdder[bounds.length];
            for (int i = 0; i < bounds.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        public void observe(double value) {
            for (int i = 0; i < bounds.length; i++) {
                if (value <= bounds[i]) {
                    buckets[i].increment();
                    break;
                }
            }
            count.increment();
            sum.add(value);
        }

        @Override
        public void render(StringBuilder out) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                    .append("# TYPE ").append(name).append(" histogram\n");
            long cumulative = 0;
            for (int i = 0; i < bounds.length; i++) {
                cumulative += buckets[i].sum();
                out.append(name).append("_bucket{le=\"").append(number(bounds[i])).append("\"} ").append(cumulative).append('\n');
            }
            long total = count.sum();
            out.append(name).append("_bucket{le=\"+Inf\"} ").append(total).append('\n')
                    .append(name).append("_sum ").append(number(sum.sum())).append('\n')
                    .append(name).append("_count ").append(total).append('\n');
        }
    }

    private record Gauge(String name, String help, LongSupplier value) implements Family {
        @Override
        public void render(StringBuilder out) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                    .append("# TYPE ").append(name).append(" gauge\n")
                    .append(name).append(' ').append(value.getAsLong()).append('\n');
        }
    }

    /** A gauge per value of one label, read at each scrape (a map from label value to value). */
    private record LabelledGauge(String name, String help, String labelName,
                                 java.util.function.Supplier<java.util.Map<String, Long>> values) implements Family {
        @Override
        public void render(StringBuilder out) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                    .append("# TYPE ").append(name).append(" gauge\n");
            for (java.util.Map.Entry<String, Long> entry : values.get().entrySet()) {
                out.append(name).append(labels(new String[] {labelName}, new String[] {entry.getKey()})).append(' ')
                        .append(entry.getValue()).append('\n');
            }
        }
    }

    /** @param values label value to gauge value; its keys are ours (ids), never request content */
    public synchronized void gauges(String name, String help, String labelName,
                                    java.util.function.Supplier<java.util.Map<String, Long>> values) {
        families.add(new LabelledGauge(name, help, labelName, values));
    }

    public synchronized Counter counter(String name, String help, String... labelNames) {
        Counter counter = new Counter(name, help, labelNames);
        families.add(counter);
        return counter;
    }

    public synchronized Histogram histogram(String name, String help, double... bounds) {
        Histogram histogram = new Histogram(name, help, bounds);
        families.add(histogram);
        return histogram;
    }

    public synchronized void gauge(String name, String help, LongSupplier value) {
        families.add(new Gauge(name, help, value));
    }

    /** The Prometheus text exposition format (version 0.0.4). */
    public synchronized String render() {
        StringBuilder out = new StringBuilder(4096);
        for (Family family : families) {
            family.render(out);
        }
        return out.toString();
    }

    private static String labels(String[] names, String[] values) {
        if (names.length != values.length) {
            throw new IllegalArgumentException("expected " + names.length + " label values");
        }
        if (names.length == 0) {
            return "";
        }
        StringBuilder labels = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                labels.append(',');
            }
            labels.append(names[i]).append("=\"").append(escape(values[i])).append('"');
        }
        return labels.append('}').toString();
    }

    private static String escape(String value) {
        return value == null ? "" : value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
