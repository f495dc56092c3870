package lab.harness.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Predicted runs of the echo baseline (one server, one client: the protocols live in modules the harness does not
 * see), where queueing theory gives the answer exactly.
 */
class PredictedRunTest
{
    static final double ECHO_NS = 4_000;
    static final double CLIENT_NS = 1_000;

    @TempDir
    Path dir;

    static Calibration.Target echo()
    {
        final Map<String, Calibration.Role> roles = new LinkedHashMap<>();
        roles.put("echo", new Calibration.Role(ECHO_NS, 0, ECHO_NS, 0, 1, 1));
        roles.put("client", new Calibration.Role(CLIENT_NS, 0, CLIENT_NS, 0, 1, 1));
        return new Calibration.Target("echo", "echo", new TreeMap<>(), 1, roles, 0);
    }

    /** Echo with a load-dependent demand: per message handled (in or out) and per byte, no cycle cost. */
    static final double FIT_MESSAGE_NS = 1_500;
    static final double FIT_BYTE_NS = 10;

    static Calibration.Target fittedEcho()
    {
        final Map<String, Calibration.Role> roles = new LinkedHashMap<>();
        roles.put("echo", new Calibration.Role(ECHO_NS, 0, ECHO_NS, 0, 1, 1,
            new DemandFit.Fit(0, FIT_MESSAGE_NS, FIT_BYTE_NS, 0, 0, 3)));
        roles.put("client", new Calibration.Role(CLIENT_NS, 0, CLIENT_NS, 0, 1, 1));
        return new Calibration.Target("echo", "echo", new TreeMap<>(), 1, roles, 0);
    }

    static RunConfig config(final int outstanding, final long seed)
    {
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol("echo");
        config.replicas(1);
        config.outstanding(outstanding);
        config.durationNs(200_000_000);
        config.warmupNs(20_000_000);
        config.seed(seed);
        return config.build();
    }

    @Test
    void lowLoadLatencyIsLinksPlusServiceTimes()
    {
        final PredictedRun.Outcome o = PredictedRun.run(config(1, 1), echo(),
            new PredictedRun.Machines(LinkProfile.parse("100us"), 1, false, 0));
        final RunResult r = o.result();
        // client -> echo (100 us) + echo's service + echo -> client (100 us) + the client's service of the reply.
        final double expectedUs = (2 * 100_000 + ECHO_NS + CLIENT_NS) / 1e3;
        assertEquals(expectedUs, r.writes().latencyNs().getValueAtPercentile(50) / 1e3, expectedUs * 0.01);
        assertEquals(2.0, r.messagesPerOp(), 0.01);
        assertTrue(o.simulatedMessages() > 0 && o.uncalibratedMessages().isEmpty());
    }

    @Test
    void saturationIsOneOverTheBottleneckOrTheSum()
    {
        final PredictedRun.Outcome own = PredictedRun.run(config(32, 1), echo(),
            new PredictedRun.Machines(LinkProfile.parse("0us"), 1, false, 0));
        assertEquals(1e9 / ECHO_NS, own.result().achievedRate(), 1e9 / ECHO_NS * 0.02, "a CPU each: 1 / max D");
        final PredictedRun.Outcome shared = PredictedRun.run(config(32, 1), echo(),
            new PredictedRun.Machines(LinkProfile.parse("0us"), 1, true, 0));
        final double sum = 1e9 / (ECHO_NS + CLIENT_NS);
        assertEquals(sum, shared.result().achievedRate(), sum * 0.02, "one CPU: 1 / sum D");
        final PredictedRun.Outcome twoCores = PredictedRun.run(config(32, 1), echo(),
            new PredictedRun.Machines(LinkProfile.parse("0us"), 2, false, 0));
        assertEquals(2e9 / ECHO_NS, twoCores.result().achievedRate(), 2e9 / ECHO_NS * 0.02, "two cores");
    }

    /** Echo with a cost per message type: a request costs this, any other type has no figure. */
    static final double REQUEST_NS = 4_000;

    static Calibration.Target typedEcho(final String type)
    {
        final Map<String, Calibration.Role> roles = new LinkedHashMap<>();
        roles.put("echo", new Calibration.Role(ECHO_NS, 0, ECHO_NS, 0, 1, 1, null,
            new TypedDemandFit.Fit(0, 0, 0, Map.of(type, REQUEST_NS), Map.of(type, Double.NaN), List.of(),
                List.of(), 0, 0, 3)));
        roles.put("client", new Calibration.Role(CLIENT_NS, 0, CLIENT_NS, 0, 1, 1));
        return new Calibration.Target("echo", "echo", new TreeMap<>(), 1, roles, 0);
    }

    @Test
    void aRoleWithByTypeChargesEachMessageItsTypesCost()
    {
        final PredictedRun.Outcome typed = PredictedRun.run(config(32, 1), typedEcho("client.ClientRequest"),
            new PredictedRun.Machines(LinkProfile.parse("0us"), 1, false, 0));
        assertEquals(1e9 / REQUEST_NS, typed.result().achievedRate(), 1e9 / REQUEST_NS * 0.02,
            "a CPU each: the echo's requests cost their type's figure, not the role's " + ECHO_NS + " ns");
        assertTrue(typed.untypedMessages().isEmpty(), typed.untypedMessages().toString());
    }

    @Test
    void aTypeTheByTypeHasNoCostForIsChargedTheRolesFigureAndSaidSo()
    {
        final PredictedRun.Outcome o = PredictedRun.run(config(32, 1), typedEcho("raft.AppendEntries"),
            new PredictedRun.Machines(LinkProfile.parse("0us"), 1, false, 0));
        assertEquals(1e9 / ECHO_NS, o.result().achievedRate(), 1e9 / ECHO_NS * 0.02, "the role's figure");
        assertTrue(o.untypedMessages().getOrDefault("echo client.ClientRequest", 0L) > 0,
            o.untypedMessages().toString());
        assertEquals(java.util.Set.of("echo client.ClientRequest"), o.untypedMessages().keySet());
    }

    @Test
    void aFittedDemandChargesTheMessageItsBytesAndWhatTheHandlerSends()
    {
        final PredictedRun.Outcome own = PredictedRun.run(config(32, 1), fittedEcho(),
            new PredictedRun.Machines(LinkProfile.parse("0us"), 1, false, 0));
        final RunResult r = own.result();
        final var echoNode = r.load().nodes().stream().filter(n -> "echo".equals(n.role())).findFirst().orElseThrow();
        // Per request: a for it, a for the reply it sends, b for every byte of both.
        final double bytesPerRequest = (double)(echoNode.bytesIn() + echoNode.bytesOut()) / echoNode.messagesIn();
        final double serviceNs = 2 * FIT_MESSAGE_NS + FIT_BYTE_NS * bytesPerRequest;
        assertTrue(bytesPerRequest > 20, "echo messages carry their values: " + bytesPerRequest);
        assertEquals(1e9 / serviceNs, r.achievedRate(), 1e9 / serviceNs * 0.02, "a CPU each: 1 / D of the echo");
    }

    @Test
    void aFittedDemandRoundTripsThroughTheFile() throws Exception
    {
        final Map<String, Calibration.Target> targets = new LinkedHashMap<>();
        targets.put("echo", fittedEcho());
        final Path file = dir.resolve("fitted.json");
        new Calibration(Map.of("os", "test"), Map.of(), 0, targets, "x").write(file);
        final DemandFit.Fit fit = Calibration.read(file).target("echo", Map.of()).roles().get("echo").demand();
        assertEquals(FIT_MESSAGE_NS, fit.messageNs());
        assertEquals(FIT_BYTE_NS, fit.byteNs());
        assertEquals(null, Calibration.read(file).target("echo", Map.of()).roles().get("client").demand());
    }

    @Test
    void theSameSeedGivesTheSameFittedPrediction()
    {
        final PredictedRun.Machines machines = new PredictedRun.Machines(LinkProfile.parse("datacenter"), 1, true, 0.5);
        final RunResult a = PredictedRun.run(config(8, 9), fittedEcho(), machines).result();
        final RunResult b = PredictedRun.run(config(8, 9), fittedEcho(), machines).result();
        assertEquals(a.totalOps(), b.totalOps());
        assertEquals(a.writes().latencyNs().getValueAtPercentile(99), b.writes().latencyNs().getValueAtPercentile(99));
        assertEquals(a.traffic().totalBytes(), b.traffic().totalBytes());
    }

    @Test
    void theSameSeedGivesTheSamePrediction()
    {
        final PredictedRun.Machines machines = new PredictedRun.Machines(LinkProfile.parse("datacenter"), 1, false, 0.5);
        final RunResult a = PredictedRun.run(config(4, 9), echo(), machines).result();
        final RunResult b = PredictedRun.run(config(4, 9), echo(), machines).result();
        final RunResult c = PredictedRun.run(config(4, 10), echo(), machines).result();
        assertEquals(a.totalOps(), b.totalOps());
        assertEquals(a.writes().latencyNs().getValueAtPercentile(99), b.writes().latencyNs().getValueAtPercentile(99));
        assertEquals(a.traffic().totalBytes(), b.traffic().totalBytes());
        assertNotEquals(a.writes().latencyNs().getValueAtPercentile(99) + a.totalOps(),
            c.writes().latencyNs().getValueAtPercentile(99) + c.totalOps());
    }

    @Test
    void aCalibrationRoundTripsAndSaysWhatItLacks() throws Exception
    {
        final Map<String, Calibration.Target> targets = new LinkedHashMap<>();
        targets.put("echo", echo());
        final Path file = dir.resolve("calibration.json");
        new Calibration(Map.of("os", "test"), Map.of(), 1234, targets, "x").write(file);
        final Calibration read = Calibration.read(file);
        assertEquals(ECHO_NS, read.target("echo", Map.of()).roles().get("echo").serviceNs());
        assertEquals(1234, read.transportNsPerMessage());
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> read.target("echo", Map.of("reads", "craq")));
        assertTrue(ex.getMessage().contains("does not cover 'echo reads=craq'"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> read.target("raft", Map.of()));
    }
}
