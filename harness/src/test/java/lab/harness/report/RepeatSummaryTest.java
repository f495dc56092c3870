package lab.harness.report;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.workload.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The {@code repeats} block: min / median / max per headline figure, in the contract's key order, the median of an
 * even count the mean of the middle two.
 */
class RepeatSummaryTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RunResult echo(final long seed)
    {
        return LabRunner.run(RunConfig.builder().protocol("echo").transport("sim").clients(2).outstanding(2)
            .workload(new Workload(0.5, 100, "uniform", 0.99, 32))
            .durationNs(TimeUnit.MILLISECONDS.toNanos(200)).warmupNs(TimeUnit.MILLISECONDS.toNanos(50))
            .intervalNs(TimeUnit.MILLISECONDS.toNanos(50)).seed(seed).build());
    }

    @Test
    void theSpreadOfTwoRunsIsTheirMinMeanAndMax() throws Exception
    {
        final List<RunResult> runs = new ArrayList<>(List.of(echo(7), echo(8)));
        final RepeatSummary summary = RepeatSummary.of(runs);
        runs.sort(java.util.Comparator.comparingDouble(RunResult::achievedRate));
        final double low = runs.get(0).achievedRate();
        final double high = runs.get(1).achievedRate();
        assertEquals(2, summary.runs());
        assertEquals(Math.round(low * 10) / 10.0, summary.throughput().min());
        assertEquals(Math.round((low + high) / 2 * 10) / 10.0, summary.throughput().median());
        assertEquals(Math.round(high * 10) / 10.0, summary.throughput().max());

        final JsonNode json = JSON.readTree(JSON.writeValueAsString(summary));
        final List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("runs", "throughput", "write_p50_us", "write_p99_us", "read_p50_us", "read_p99_us"), keys);
        final List<String> spread = new ArrayList<>();
        json.get("write_p99_us").fieldNames().forEachRemaining(spread::add);
        assertEquals(List.of("min", "median", "max"), spread);
    }

    @Test
    void itReadsAsTheMapItWasBefore()
    {
        final RepeatSummary.Spread s = new RepeatSummary.Spread(1.0, 2.5, 4.0);
        final RepeatSummary summary = new RepeatSummary(3, s, s, s, s, s);
        assertEquals("{runs=3, throughput={min=1.0, median=2.5, max=4.0}, write_p50_us={min=1.0, median=2.5, " +
            "max=4.0}, write_p99_us={min=1.0, median=2.5, max=4.0}, read_p50_us={min=1.0, median=2.5, max=4.0}, " +
            "read_p99_us={min=1.0, median=2.5, max=4.0}}", summary.toString());
        assertEquals("1.0 / 2.5 / 4.0", s.text("%.1f"));
    }
}
