package lab.quorum;

import lab.core.Outbox;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * A spare replica's side of a sloppy quorum (Dynamo's hinted handoff): a write it holds for a home replica that was
 * slow to acknowledge is kept apart from its own store, as a hint, and sent to that home replica every
 * {@code handoff-interval} until the home replica acknowledges it. Kept apart because the spare is not a home
 * replica of the key: reads must not count its copy, and the hint is dropped once handed off. One hint per (home,
 * key), the newest version: an older write of the key would be overwritten at the home replica anyway.
 */
final class HintedHandoff
{
    /**
     * A write held for a home replica that did not acknowledge it in time.
     */
    private static final class Hint
    {
        final long key;
        final ExpandableArrayBuffer value = new ExpandableArrayBuffer(64);
        int length;
        long ts;

        Hint(final long key)
        {
            this.key = key;
        }
    }

    private final QuorumMessages messages;
    private final long intervalNs;
    private final Long2ObjectHashMap<Hint>[] hints;
    private long nextHandoffNs;

    /**
     * @param messages the replica's encoders (one send buffer per state machine).
     */
    @SuppressWarnings("unchecked")
    HintedHandoff(final QuorumConfig config, final QuorumMessages messages)
    {
        this.messages = messages;
        this.intervalNs = config.handoffIntervalNs;
        hints = new Long2ObjectHashMap[config.replicas];
    }

    /**
     * Every {@code handoff-interval}: send each held hint to its home replica again.
     */
    void onTick(final long nowNs, final Outbox out)
    {
        if (nowNs >= nextHandoffNs)
        {
            nextHandoffNs = nowNs + intervalNs;
            handOff(out);
        }
    }

    /**
     * Hold a write for {@code home}, unless a newer one of the key is held already.
     */
    void hold(final int home, final long key, final long ts, final DirectBuffer value, final int offset,
        final int length)
    {
        Long2ObjectHashMap<Hint> held = hints[home];
        if (held == null)
        {
            held = new Long2ObjectHashMap<>();
            hints[home] = held;
        }
        Hint hint = held.get(key);
        if (hint == null)
        {
            hint = new Hint(key);
            held.put(key, hint);
        }
        else if (hint.ts >= ts)
        {
            return;
        }
        hint.ts = ts;
        hint.value.putBytes(0, value, offset, length);
        hint.length = length;
    }

    private void handOff(final Outbox out)
    {
        for (int home = 0; home < hints.length; home++)
        {
            final Long2ObjectHashMap<Hint> held = hints[home];
            if (held == null || held.isEmpty())
            {
                continue;
            }
            for (final Hint hint : held.values())
            {
                // clientId 0: a handoff, not a client's operation; its acknowledgement comes back to onAck. Sent
                // on a tick: a path of its own.
                final int length = messages.encodeWrite(0, 0, hint.key, hint.ts, -1, true, hint.value, 0, hint.length);
                out.send(home, messages.buffer(), 0, length);
            }
        }
    }

    /**
     * {@code home} acknowledged version {@code ts} of the key: a hint of it, or of an older version, is delivered.
     */
    void onAck(final int home, final long key, final long ts)
    {
        final Long2ObjectHashMap<Hint> held = home >= 0 && home < hints.length ? hints[home] : null;
        if (held != null)
        {
            final Hint hint = held.get(key);
            if (hint != null && hint.ts <= ts)
            {
                held.remove(key);
            }
        }
    }

    /**
     * @return how many hints are held, for every home replica together.
     */
    int count()
    {
        int count = 0;
        for (final Long2ObjectHashMap<Hint> h : hints)
        {
            count += h == null ? 0 : h.size();
        }
        return count;
    }
}
