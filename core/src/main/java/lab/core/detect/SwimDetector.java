package lab.core.detect;

import java.util.Arrays;
import java.util.Random;

/**
 * One member's SWIM failure detector and membership (Das, Gupta and Motivala 2002): each protocol period it pings
 * one member, picked in a shuffled round-robin order (so every member is probed within a bounded number of
 * periods); with no ACK within the ping timeout it asks {@code k} other members to ping it (PING_REQ) and relay the
 * ACK, which gets round a lossy or congested link between the two; with no ACK, direct or relayed, by the end of
 * the period the member is <em>suspected</em> and the news is sent to every member; a suspected member that hears
 * of it refutes with a higher incarnation (ALIVE); one still suspected after the suspicion timeout is
 * <em>confirmed</em> dead (CONFIRM) and removed from the membership.
 *
 * <p>Pure: the clock comes in with every call and messages go out through {@link Transport}. SWIM needs messages
 * of its own, so it is not a {@link FailureDetector} a protocol can plug in beside its heartbeats: the lab runs it
 * where the detectors benchmark carries its messages ({@code bin/lab detectors}), and the protocols reject
 * {@code failure-detector=swim}. Dissemination: each member multicasts a change the first time it learns it
 * (suspect, alive at a higher incarnation, confirm), so news gets round a broken link as the paper's infection-style
 * gossip does, at N^2 messages per change instead of piggybacking it on pings.
 */
public final class SwimDetector
{
    /** Where the detector's messages go: the protocol (or the benchmark) that carries them. */
    @FunctionalInterface
    public interface Transport
    {
        void send(int to, SwimMessage message);
    }

    private enum State
    {
        ALIVE, SUSPECT, DEAD
    }

    private final int self;
    private final int members;
    private final long periodNs;
    private final long pingTimeoutNs;
    private final int indirectProbes;
    private final long suspicionTimeoutNs;
    private final Random random;

    private final State[] state;
    private final long[] incarnation;
    private final long[] suspectedAtNs;
    private final int[] probeOrder;
    private int probeCursor;

    private boolean started;
    private long nextPeriodNs;
    private int probeTarget = -1;
    private long probeSeq;
    private long probeSentNs;
    private boolean acked;
    private boolean indirectSent;
    private long suspicionsRaised;
    private long confirmationsRaised;

    /**
     * @throws IllegalArgumentException for a ping timeout that is not > 0 and shorter than the period, a negative
     *                                  k or a suspicion timeout that is not > 0.
     */
    public SwimDetector(final int self, final int members, final long periodNs, final long pingTimeoutNs,
        final int indirectProbes, final long suspicionTimeoutNs, final Random random)
    {
        if (pingTimeoutNs <= 0 || pingTimeoutNs >= periodNs)
        {
            throw new IllegalArgumentException("the SWIM ping timeout must be > 0 and shorter than the period");
        }
        if (indirectProbes < 0 || suspicionTimeoutNs <= 0)
        {
            throw new IllegalArgumentException("swim-k must be >= 0 and the suspicion timeout > 0");
        }
        this.self = self;
        this.members = members;
        this.periodNs = periodNs;
        this.pingTimeoutNs = pingTimeoutNs;
        this.indirectProbes = indirectProbes;
        this.suspicionTimeoutNs = suspicionTimeoutNs;
        this.random = random;
        this.state = new State[members];
        Arrays.fill(state, State.ALIVE);
        this.incarnation = new long[members];
        this.suspectedAtNs = new long[members];
        this.probeOrder = new int[members - 1];
        for (int i = 0, m = 0; m < members; m++)
        {
            if (m != self)
            {
                probeOrder[i++] = m;
            }
        }
        probeCursor = probeOrder.length;
    }

    public boolean suspected(final int member)
    {
        return state[member] != State.ALIVE;
    }

    public boolean confirmed(final int member)
    {
        return state[member] == State.DEAD;
    }

    /**
     * @return suspicions this member raised itself from a failed probe (not those it heard of).
     */
    public long suspicionsRaised()
    {
        return suspicionsRaised;
    }

    /**
     * @return members this member confirmed dead by its own suspicion timeout (not those it heard of).
     */
    public long confirmationsRaised()
    {
        return confirmationsRaised;
    }

    /**
     * Timers: the end of a protocol period (suspect an unanswered target, probe the next), the ping timeout
     * (indirect probes), suspicion timeouts (confirm).
     */
    public void onTick(final long nowNs, final Transport out)
    {
        if (!started)
        {
            started = true;
            nextPeriodNs = nowNs;
        }
        if (probeTarget >= 0 && !acked && !indirectSent && nowNs - probeSentNs >= pingTimeoutNs)
        {
            indirectSent = true;
            requestIndirectProbes(out);
        }
        if (nowNs >= nextPeriodNs)
        {
            if (probeTarget >= 0 && !acked && state[probeTarget] == State.ALIVE)
            {
                suspicionsRaised++;
                suspect(probeTarget, incarnation[probeTarget], nowNs, out);
            }
            nextPeriodNs = nowNs + periodNs;
            probeNext(nowNs, out);
        }
        for (int m = 0; m < members; m++)
        {
            if (state[m] == State.SUSPECT && nowNs - suspectedAtNs[m] >= suspicionTimeoutNs)
            {
                state[m] = State.DEAD;
                confirmationsRaised++;
                multicast(new SwimMessage(SwimMessage.Kind.CONFIRM, m, 0, -1, incarnation[m]), out);
            }
        }
    }

    /**
     * @return when this member next needs {@link #onTick}: the end of the period, or the ping timeout before it.
     */
    public long nextDeadlineNs()
    {
        long deadline = nextPeriodNs;
        if (probeTarget >= 0 && !acked && !indirectSent)
        {
            deadline = Math.min(deadline, probeSentNs + pingTimeoutNs);
        }
        for (int m = 0; m < members; m++)
        {
            if (state[m] == State.SUSPECT)
            {
                deadline = Math.min(deadline, suspectedAtNs[m] + suspicionTimeoutNs);
            }
        }
        return deadline;
    }

    public void onMessage(final int from, final SwimMessage message, final long nowNs, final Transport out)
    {
        switch (message.kind())
        {
            case PING -> out.send(from,
                new SwimMessage(SwimMessage.Kind.ACK, self, message.seq(), message.requester(), 0));
            case PING_REQ -> out.send(message.subject(),
                new SwimMessage(SwimMessage.Kind.PING, message.subject(), message.seq(), from, 0));
            case ACK -> onAck(message, out);
            case SUSPECT -> onSuspect(message, nowNs, out);
            case ALIVE -> onAlive(message, out);
            case CONFIRM ->
            {
                if (message.subject() != self && state[message.subject()] != State.DEAD)
                {
                    state[message.subject()] = State.DEAD;
                    multicast(message, out);
                }
            }
        }
    }

    private void onAck(final SwimMessage message, final Transport out)
    {
        if (message.requester() >= 0 && message.requester() != self)
        {
            // relayed for a PING_REQ: pass it on to who asked, as its own probe's ack
            out.send(message.requester(), new SwimMessage(SwimMessage.Kind.ACK, message.subject(), message.seq(), -1, 0));
            return;
        }
        if (message.subject() == probeTarget && message.seq() == probeSeq)
        {
            acked = true;
        }
    }

    private void onSuspect(final SwimMessage message, final long nowNs, final Transport out)
    {
        final int subject = message.subject();
        if (subject == self)
        {
            if (message.incarnation() >= incarnation[self])
            {
                incarnation[self] = message.incarnation() + 1;
                multicast(new SwimMessage(SwimMessage.Kind.ALIVE, self, 0, -1, incarnation[self]), out);
            }
            return;
        }
        if (state[subject] == State.ALIVE && message.incarnation() >= incarnation[subject])
        {
            incarnation[subject] = message.incarnation();
            state[subject] = State.SUSPECT;
            suspectedAtNs[subject] = nowNs;
            multicast(message, out);
        }
    }

    private void onAlive(final SwimMessage message, final Transport out)
    {
        final int subject = message.subject();
        if (subject != self && message.incarnation() > incarnation[subject] && state[subject] != State.DEAD)
        {
            incarnation[subject] = message.incarnation();
            state[subject] = State.ALIVE;
            multicast(message, out);
        }
    }

    private void suspect(final int member, final long inc, final long nowNs, final Transport out)
    {
        state[member] = State.SUSPECT;
        suspectedAtNs[member] = nowNs;
        multicast(new SwimMessage(SwimMessage.Kind.SUSPECT, member, 0, -1, inc), out);
    }

    private void probeNext(final long nowNs, final Transport out)
    {
        probeTarget = -1;
        for (int tries = 0; tries < probeOrder.length; tries++)
        {
            if (probeCursor >= probeOrder.length)
            {
                shuffle();
                probeCursor = 0;
            }
            final int candidate = probeOrder[probeCursor++];
            if (state[candidate] != State.DEAD)
            {
                probeTarget = candidate;
                break;
            }
        }
        if (probeTarget < 0)
        {
            return;
        }
        probeSeq++;
        probeSentNs = nowNs;
        acked = false;
        indirectSent = false;
        out.send(probeTarget, new SwimMessage(SwimMessage.Kind.PING, probeTarget, probeSeq, -1, 0));
    }

    private void requestIndirectProbes(final Transport out)
    {
        // k distinct members other than self and the target, alive or suspected, drawn without replacement
        final int[] helpers = new int[members];
        int count = 0;
        for (int m = 0; m < members; m++)
        {
            if (m != self && m != probeTarget && state[m] != State.DEAD)
            {
                helpers[count++] = m;
            }
        }
        for (int i = 0; i < Math.min(indirectProbes, count); i++)
        {
            final int j = i + random.nextInt(count - i);
            final int helper = helpers[j];
            helpers[j] = helpers[i];
            helpers[i] = helper;
            out.send(helper, new SwimMessage(SwimMessage.Kind.PING_REQ, probeTarget, probeSeq, -1, 0));
        }
    }

    private void shuffle()
    {
        for (int i = probeOrder.length - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int t = probeOrder[i];
            probeOrder[i] = probeOrder[j];
            probeOrder[j] = t;
        }
    }

    private void multicast(final SwimMessage message, final Transport out)
    {
        for (int m = 0; m < members; m++)
        {
            if (m != self && state[m] != State.DEAD)
            {
                out.send(m, message);
            }
        }
    }
}
