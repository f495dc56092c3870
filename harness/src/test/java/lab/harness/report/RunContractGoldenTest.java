package lab.harness.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.workload.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The results contract of a simulated run, byte for byte (keys, their order, number formats), against a file written
 * by the lab when the contract was a map: how {@code results.json} is built may change, what it says may not without
 * the contract (README, "The results contract") and this file changing together.
 *
 * <p>The run is the echo baseline on the simulator with a fixed seed: deterministic, and the harness's own code
 * only. A deliberate change of what the simulator or the load generator does changes the figures: rewrite the file
 * with {@code -Dlab.golden.update=true} and review its diff.
 */
class RunContractGoldenTest
{
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    /**
     * A closed loop: no rate, no service time, no counters.
     */
    @Test
    void aClosedLoopRunsContractIsTheGoldenOne() throws IOException
    {
        check("run-echo-sim-seed7.json", echo().build());
    }

    /**
     * An open loop with stale reads measured: the requested rate, service times and the protocol counters appear.
     */
    @Test
    void anOpenLoopRunsContractIsTheGoldenOne() throws IOException
    {
        check("run-echo-sim-open-seed7.json", echo().rate(20_000).poisson(true).outstanding(64).staleReads(true)
            .build());
    }

    private static RunConfig.Builder echo()
    {
        return RunConfig.builder()
            .protocol("echo")
            .transport("sim")
            .clients(2)
            .outstanding(2)
            .workload(new Workload(0.5, 100, "uniform", 0.99, 32))
            .durationNs(TimeUnit.MILLISECONDS.toNanos(300))
            .warmupNs(TimeUnit.MILLISECONDS.toNanos(100))
            .intervalNs(TimeUnit.MILLISECONDS.toNanos(100))
            .seed(7);
    }

    private static void check(final String name, final RunConfig config) throws IOException
    {
        final RunResult result = LabRunner.run(config);
        final Map<String, Object> environment = new LinkedHashMap<>();
        environment.put("cpu", "golden");
        environment.put("cores", 1);
        environment.put("commit", "-");
        final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        final String written = json.writeValueAsString(RunReport.toContract(result, environment)) + "\n";
        final Path golden = GOLDEN.resolve(name);
        if (Boolean.getBoolean("lab.golden.update"))
        {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, written, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), written, name);
    }
}
