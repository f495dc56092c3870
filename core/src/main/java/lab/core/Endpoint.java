package lab.core;

import org.agrona.DirectBuffer;

/**
 * Anything that lives at a node address of the network: a replica or a client. It is a pure, single-threaded
 * state machine: no thread, socket or clock of its own. Time arrives as {@code nowNs}; everything it wants to say
 * goes to the {@link Outbox}. The same object therefore runs under the deterministic simulator and over Aeron.
 */
public interface Endpoint
{
    /**
     * A message arrived.
     *
     * @param fromNode node id of the sender.
     * @param buffer   holding the message; only valid for the duration of the call.
     * @param offset   of the message (its SBE header) in the buffer.
     * @param length   of the message.
     * @param nowNs    current time of the driver (simulated or {@link System#nanoTime()}).
     * @param out      where to send the messages this one causes.
     */
    void onMessage(int fromNode, DirectBuffer buffer, int offset, int length, long nowNs, Outbox out);

    /**
     * Time passed: timeouts, heartbeats, elections, retries. Called at least every tick interval of the driver.
     *
     * @param nowNs current time of the driver.
     * @param out   where to send.
     */
    void onTick(long nowNs, Outbox out);

    /**
     * The end of a burst of input: the driver has delivered what it had for now (one poll of the transport and the
     * tick, or one simulated event). An endpoint that holds its output back sends it now: Raft persists once for
     * the whole burst and then sends (etcd's Ready), instead of one write per message. Nothing by default.
     *
     * @param nowNs current time of the driver.
     * @param out   where to send.
     */
    default void flush(long nowNs, Outbox out)
    {
    }

    /**
     * @return messages this node dropped as malformed so far (see {@link WireCheck}); read by the harness after the
     * run, when the node is not running.
     */
    default long malformedMessages()
    {
        return 0;
    }
}
