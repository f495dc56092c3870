package lab.harness.aeron;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import lab.harness.check.HistoryRecorder;
import lab.harness.check.LinearizabilityChecker;
import lab.harness.check.Operation;
import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.metrics.LatencyTimeline;
import lab.harness.metrics.TrafficCounters;
import lab.harness.workload.LoadGenerator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An in-process cluster over Aeron UDP on loopback under hostile input at every node's port: garbage datagrams, a
 * SETUP frame with a bad MTU (the driver's ConfigurationException), and well-formed Aeron streams of lab frames of
 * another run, of a sender that is not a member and too short to be a lab frame. The run goes on, the counters
 * show the input, and the history stays linearizable.
 */
class HostileUdpInputTest
{
    private static final byte[] PAYLOAD = {1, 2, 3, 4, 5, 6, 7, 8};

    @Test
    void shouldCountAndDropHostileInputAndCarryOn() throws Exception
    {
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol("none");
        config.replicas(1);
        config.transport("udp");
        final HistoryRecorder recorder = new HistoryRecorder();
        config.observers(i -> recorder);
        final LabRunner.Nodes nodes = LabRunner.build(config.build(), n -> true);
        final int count = nodes.endpoints.length;
        final TrafficCounters[] traffic = new TrafficCounters[count];
        for (int i = 0; i < count; i++)
        {
            traffic[i] = new TrafficCounters(nodes.firstClient());
        }
        final AeronCluster.Settings settings = new AeronCluster.Settings();
        settings.medium = "udp";
        final long completedAtForgery;
        try (AeronCluster cluster = new AeronCluster(settings, nodes.endpoints, traffic))
        {
            cluster.startWith(() ->
            {
                final long now = System.nanoTime();
                for (final LoadGenerator c : nodes.clients)
                {
                    c.window(now, now + TimeUnit.SECONDS.toNanos(60));
                    c.timeline(new LatencyTimeline(now, null));
                }
            });
            Thread.sleep(300);
            for (int i = 0; i < count; i++)
            {
                try (ForgedFrames forge = new ForgedFrames("127.0.0.1", cluster.port(i)))
                {
                    final int stream = AeronCluster.STREAM_ID + i;
                    forge.garbage(20);
                    forge.badMtuSetup(stream);
                    assertTrue(forge.openStream(stream, 4242 + i, 5000), "the driver took the forged stream");
                    for (int k = 0; k < 5; k++)
                    {
                        forge.labFrame(cluster.runId() ^ 1, 0, PAYLOAD); // another run
                        forge.labFrame(cluster.runId(), 99, PAYLOAD); // not a member
                    }
                    forge.labFrame(cluster.runId(), -1, PAYLOAD); // not a member
                    forge.dataFrame(cluster.runId(), new byte[] {1, 2}); // shorter than a lab frame
                }
            }
            completedAtForgery = nodes.clients[0].completed(); // racy read: a lower bound is enough
            // Wait for progress, not for a fixed time: a loaded machine may need more than a second and a half for
            // 100 operations over UDP. Bounded: a cluster the forgery stopped fails the assertion below after 30 s.
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (nodes.clients[0].completed() <= completedAtForgery + 100 && System.nanoTime() < deadlineNs)
            {
                Thread.sleep(50);
            }
            cluster.close();

            assertNull(cluster.error(), "no node failed");
            final Map<String, Object> errors = cluster.transportErrors().report();
            assertTrue(cluster.transportErrors().count() >= count, errors.toString());
            assertTrue(String.valueOf(errors.get("distinct")).contains("mtuLength=-5"), errors.toString());
            final Map<String, Object> foreign = cluster.foreignFramesReport();
            for (int i = 0; i < count; i++)
            {
                assertEquals(12L, foreign.get("node-" + i), foreign.toString());
            }
        }
        final long completed = nodes.clients[0].completed();
        assertTrue(completed > completedAtForgery + 100, "operations went on after the forgery: " +
            completedAtForgery + " -> " + completed);
        final List<Operation> history = recorder.history();
        assertTrue(new LinearizabilityChecker().check(history).linearizable(), "history of " + history.size());
    }
}
