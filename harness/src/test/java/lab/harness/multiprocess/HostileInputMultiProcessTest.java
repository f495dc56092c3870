package lab.harness.multiprocess;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import lab.harness.aeron.AeronCluster;
import lab.harness.aeron.ForgedFrames;
import lab.harness.check.HistoryRecorder;
import lab.harness.check.LinearizabilityChecker;
import lab.harness.check.Operation;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A multi-process run (a node server in this JVM with its own media driver, driven by {@link ProcessRun} as
 * {@code --cluster} nodes are) under hostile input at both UDP endpoints while it runs: garbage, a bad-MTU SETUP,
 * data frames of another run and of a non-member, and forged, malformed and out-of-order control frames. The run
 * completes with every node's report, the counters show the input, the node logged one line per refused control
 * frame, and the history is linearizable.
 */
class HostileInputMultiProcessTest
{
    private static final byte[] PAYLOAD = {1, 2, 3, 4, 5, 6, 7, 8};
    private static final Pattern READY = Pattern.compile("READY node=0 run=(-?\\d+)");

    @Test
    void shouldCarryOnUnderForgedDataAndControlFrames() throws Exception
    {
        final int[] ports = LocalLauncher.freeUdpPorts(2, "127.0.0.1");
        final ClusterFile cluster = ClusterFile.parse("hostile.toml",
            "[[node]]\nid = 0\nhost = \"127.0.0.1\"\nport = " + ports[0] + "\n" +
            "[[client]]\nhost = \"127.0.0.1\"\nport = " + ports[1] + "\n");
        final ByteArrayOutputStream nodeOutput = new ByteArrayOutputStream();
        final NodeServer.Settings settings = new NodeServer.Settings();
        settings.dirTag = "test";
        settings.out = new PrintStream(nodeOutput, true, StandardCharsets.UTF_8);
        final NodeServer server = new NodeServer(cluster, 0, settings);
        server.start();
        final Thread serving = new Thread(server::serve, "node-0");
        serving.start();
        final AtomicReference<Throwable> forgeryFailed = new AtomicReference<>();
        final Thread forger = new Thread(() ->
        {
            try
            {
                forge(ports, runIdFrom(nodeOutput));
            }
            catch (final Throwable t)
            {
                forgeryFailed.set(t);
            }
        }, "forger");
        try
        {
            final RunConfig.Builder config = RunConfig.builder();
            config.protocol("none");
            config.replicas(1);
            config.durationNs(TimeUnit.MILLISECONDS.toNanos(2500));
            config.warmupNs(TimeUnit.MILLISECONDS.toNanos(300));
            final HistoryRecorder recorder = new HistoryRecorder();
            config.observers(i -> recorder);
            forger.start();
            final RunResult result = ProcessRun.run(config.build(), cluster, new ProcessRun.Options(), null);
            forger.join(10_000);
            assertNull(forgeryFailed.get(), () -> "forger: " + forgeryFailed.get());

            final Map<String, Object> stats = result.transportStats();
            assertEquals(true, stats.get("traffic_complete"), stats.toString());
            assertTrue(result.writes().count() > 0 && result.reads().count() > 0, "ops completed");
            @SuppressWarnings("unchecked") final Map<String, Object> errors =
                (Map<String, Object>)stats.get("transport_errors");
            assertTrue((Long)errors.get("node-0") >= 1, errors.toString());
            assertTrue((Long)errors.get("client-process driver") >= 1, errors.toString());
            assertTrue(String.valueOf(errors.get("distinct")).contains("mtuLength=-5"), errors.toString());
            @SuppressWarnings("unchecked") final Map<String, Object> foreign =
                (Map<String, Object>)stats.get("foreign_frames");
            assertEquals(10L, foreign.get("node-0"), foreign.toString());
            assertEquals(5L, foreign.get("node-1"), foreign.toString());

            final String out = nodeOutput.toString(StandardCharsets.UTF_8);
            for (final String refused : new String[] {
                "malformed control frame of 2 bytes", "START from=-1 run=abc: no numeric run=",
                "unknown type 42", "STOP from=-1 run=12: this node runs run", "already started",
                "CONFIG from=-1 run=7: run ", "not from the load driver"})
            {
                assertTrue(out.contains(refused), "node logged '" + refused + "':\n" + out);
            }
            assertTrue(out.contains("STOPPED node=0"), out);
            final List<Operation> history = recorder.history();
            assertTrue(new LinearizabilityChecker().check(history).linearizable(), "history of " + history.size());
        }
        finally
        {
            forger.interrupt();
            server.requestStop(5000);
            serving.join(5000);
        }
    }

    private static long runIdFrom(final ByteArrayOutputStream nodeOutput) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline)
        {
            final Matcher m = READY.matcher(nodeOutput.toString(StandardCharsets.UTF_8));
            if (m.find())
            {
                return Long.parseLong(m.group(1));
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("the node never became ready");
    }

    private static void forge(final int[] ports, final long runId) throws Exception
    {
        Thread.sleep(600); // the run has started
        try (ForgedFrames node = new ForgedFrames("127.0.0.1", ports[0]);
            ForgedFrames client = new ForgedFrames("127.0.0.1", ports[1]))
        {
            node.garbage(20);
            client.garbage(20);
            node.badMtuSetup(Control.CONTROL_STREAM);
            node.badMtuSetup(Control.DATA_STREAM);
            client.badMtuSetup(Control.DATA_STREAM + 1);

            assertTrue(node.openStream(Control.DATA_STREAM, 4242, 5000), "forged data stream to the node");
            assertTrue(client.openStream(AeronCluster.STREAM_ID + 1, 4243, 5000), "forged stream to the client");
            for (int k = 0; k < 5; k++)
            {
                node.labFrame(runId ^ 1, 1, PAYLOAD); // another run
                node.labFrame(runId, 99, PAYLOAD); // not a member
                client.labFrame(runId + 1, 0, PAYLOAD); // another run
            }

            assertTrue(node.openStream(Control.CONTROL_STREAM, 4244, 5000), "forged control stream to the node");
            node.dataFrame(0, new byte[] {1, 2});
            node.controlFrame(0, Control.START, -1, "run=abc\n");
            node.controlFrame(0, 42, 7, "garbage");
            node.controlFrame(0, Control.STOP, -1, "run=12\n");
            node.controlFrame(0, Control.START, -1, "run=" + runId + "\nwarmup_ns=0\nduration_ns=1\n");
            node.controlFrame(0, Control.CONFIG, -1, "run=7\nprotocol=none\n");
            node.controlFrame(0, Control.STOP, 3, "run=" + runId + "\n");
        }
    }
}
