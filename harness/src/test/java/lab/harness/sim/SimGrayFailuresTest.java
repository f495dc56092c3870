package lab.harness.sim;

import java.util.ArrayList;
import java.util.List;

import lab.core.Endpoint;
import lab.core.Outbox;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The simulator's gray failures, as the torture schedules use them: a slow node handles one message per service
 * time in arrival order; a paused node neither ticks nor handles messages and gets what arrived meanwhile, in order,
 * when resumed.
 */
class SimGrayFailuresTest
{
    private static final long US = 1_000L;
    private static final long MS = 1_000_000L;

    /** Records when it handled each message (simulated time, payload byte) and counts its ticks. */
    private static final class Recorder implements Endpoint
    {
        final List<String> handled = new ArrayList<>();
        int ticks;

        public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
            final long nowNs, final Outbox out)
        {
            handled.add(buffer.getByte(offset) + "@" + nowNs / US);
        }

        public void onTick(final long nowNs, final Outbox out)
        {
            ticks++;
        }
    }

    private static SimNetwork network(final Recorder receiver)
    {
        final SimConfig config = new SimConfig().latency(50 * US, 0);
        final SimNetwork network = new SimNetwork(1, config, 2, 2);
        network.register(0, new Recorder());
        network.register(1, receiver);
        return network;
    }

    private static void send(final SimNetwork network, final int payload)
    {
        network.outbox(0).send(1, new UnsafeBuffer(new byte[] {(byte)payload}), 0, 1);
    }

    @Test
    void shouldServeOneMessagePerServiceTimeOnASlowNode()
    {
        final Recorder receiver = new Recorder();
        final SimNetwork network = network(receiver);
        network.slow(1, MS);
        send(network, 1);
        send(network, 2);
        network.runFor(10 * MS);
        assertEquals(List.of("1@1050", "2@2050"), receiver.handled, "arrive at 50 us; served at 1.05 and 2.05 ms");

        network.slow(1, 0);
        send(network, 3);
        network.runFor(MS);
        assertEquals("3@10050", receiver.handled.get(2), "a slow node that is healed handles at arrival");
    }

    @Test
    void shouldHandleTheBacklogAtOnceWhenTheSlownessEnds()
    {
        final Recorder receiver = new Recorder();
        final SimNetwork network = network(receiver);
        network.slow(1, 10 * MS);
        for (int i = 1; i <= 3; i++)
        {
            send(network, i);
        }
        network.runFor(15 * MS);
        network.slow(1, 0);
        network.runFor(MS);
        assertEquals(List.of("1@10050", "2@15000", "3@15000"), receiver.handled, "the rest at the end, in order");
    }

    @Test
    void shouldHoldWhatArrivesAtAPausedNodeUntilItResumes()
    {
        final Recorder receiver = new Recorder();
        final SimNetwork network = network(receiver);
        network.runFor(MS);
        network.pause(1);
        final int ticksBefore = receiver.ticks;
        send(network, 1);
        send(network, 2);
        network.runFor(5 * MS);
        assertEquals(List.of(), receiver.handled);
        assertEquals(ticksBefore, receiver.ticks, "a paused node does not tick");

        network.resume(1);
        network.runFor(MS);
        assertEquals(List.of("1@6000", "2@6000"), receiver.handled, "handled at the resume, in arrival order");
    }

    @Test
    void shouldLoseWhatAPausedNodeHeldWhenItCrashes()
    {
        final Recorder receiver = new Recorder();
        final SimNetwork network = network(receiver);
        network.pause(1);
        send(network, 1);
        network.runFor(MS);
        network.crash(1);
        final Recorder fresh = new Recorder();
        network.restart(1, fresh);
        network.runFor(MS);
        assertEquals(List.of(), fresh.handled);
        assertEquals(List.of(), receiver.handled);
    }
}
