package lab.harness.detect;

import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.Random;

import lab.core.detect.SwimDetector;
import lab.core.detect.SwimMessage;

/**
 * A SWIM group ({@link SwimDetector}, one per member) on a simulated network: every message goes through
 * {@link NetworkConditions} (delay, jitter, loss) and every member pauses as the conditions say (a paused member
 * neither handles messages nor runs timers until it resumes). Event-driven and deterministic from the seed.
 * <ul>
 *   <li>False removals: over {@code healthyNs} with nobody crashed, each live member confirmed dead is one; the
 *   group then starts afresh (as if the member rejoined at once). Suspicions that were refuted in time are counted
 *   apart: they cost messages, not a removal.</li>
 *   <li>Detection: in each of {@code crashes} trials a fresh group runs a warm-up, member 0 crashes at a random
 *   point of a protocol period, and the time to its first confirmation by a live member is one sample: what a user
 *   of SWIM acts on (a suspicion alone is not a removal).</li>
 * </ul>
 */
public final class SwimBench
{
    private static final long GIVE_UP_NS = 60_000_000_000L;

    /** SWIM's own parameters beside the network's. */
    public record Swim(int members, long periodNs, long pingTimeoutNs, int indirectProbes, long suspicionTimeoutNs)
    {
        /**
         * @throws IllegalArgumentException for fewer than 3 members (an indirect probe needs a third) or what
         *                                  {@link SwimDetector} rejects.
         */
        public Swim
        {
            if (members < 3)
            {
                throw new IllegalArgumentException("--members must be >= 3 for SWIM's indirect probes, got " + members);
            }
            new SwimDetector(0, members, periodNs, pingTimeoutNs, indirectProbes, suspicionTimeoutNs, new Random(0));
        }
    }

    private record Event(long timeNs, long order, int to, int from, SwimMessage message)
    {
    }

    private final Swim swim;
    private final NetworkConditions conditions;
    private final Random random;
    private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) ->
        a.timeNs != b.timeNs ? Long.compare(a.timeNs, b.timeNs) : Long.compare(a.order, b.order));
    private final NetworkConditions.Pauses[] pauses;
    private final long[] tickAtNs;
    private final boolean[] crashed;
    private SwimDetector[] members;
    private long order;
    private long nowNs;
    private long sent;

    private SwimBench(final Swim swim, final NetworkConditions conditions, final Random random)
    {
        this.swim = swim;
        this.conditions = conditions;
        this.random = random;
        pauses = new NetworkConditions.Pauses[swim.members()];
        for (int m = 0; m < swim.members(); m++)
        {
            pauses[m] = new NetworkConditions.Pauses(conditions, random, 0);
        }
        tickAtNs = new long[swim.members()];
        crashed = new boolean[swim.members()];
        freshGroup();
    }

    public static DetectorPoint measure(final String parameter, final Swim swim, final NetworkConditions conditions,
        final long healthyNs, final long warmupNs, final int crashes, final long seed)
    {
        final Random random = new Random(seed);
        final SwimBench healthy = new SwimBench(swim, conditions, random);
        long falseRemovals = 0;
        long raised = 0;
        while (healthy.nowNs < healthyNs)
        {
            final long confirmedBefore = healthy.confirmations();
            healthy.runUntil(healthyNs, -1);
            if (healthy.confirmations() > confirmedBefore)
            {
                falseRemovals++;
                raised += healthy.suspicions();
                healthy.freshGroup();
            }
        }
        raised += healthy.suspicions();
        // a removal began as (at least) one raised suspicion: the others were refuted in time
        final long refuted = Math.max(0, raised - falseRemovals);
        final double hours = healthyNs / 3.6e12;
        final double messagesPerSecond = healthy.sent / (healthyNs / 1e9) / swim.members();

        final double[] detect = new double[crashes];
        for (int i = 0; i < crashes; i++)
        {
            final SwimBench trial = new SwimBench(swim, conditions, random);
            final long crashNs = warmupNs + (long)(random.nextDouble() * swim.periodNs());
            trial.runUntil(crashNs, -1);
            if (trial.confirmations() > 0)
            {
                trial.freshGroup(); // a false removal in the warm-up: start the trial's group again
                trial.runUntil(crashNs + swim.periodNs(), -1);
            }
            final long at = trial.nowNs;
            trial.crashed[0] = true;
            trial.runUntil(at + GIVE_UP_NS, 0);
            detect[i] = (trial.nowNs - at) / 1e6;
        }
        Arrays.sort(detect);
        return new DetectorPoint("swim", parameter, HeartbeatBench.percentile(detect, 0.50),
            HeartbeatBench.percentile(detect, 0.99), crashes, falseRemovals / hours / swim.members(), falseRemovals, hours,
            refuted / (double)swim.members() / hours, messagesPerSecond);
    }

    private void freshGroup()
    {
        members = new SwimDetector[swim.members()];
        for (int m = 0; m < members.length; m++)
        {
            members[m] = new SwimDetector(m, members.length, swim.periodNs(), swim.pingTimeoutNs(),
                swim.indirectProbes(), swim.suspicionTimeoutNs(), new Random(random.nextLong()));
        }
        events.clear();
        for (int m = 0; m < members.length; m++)
        {
            tickAtNs[m] = nowNs;
            push(new Event(nowNs, order++, m, -1, null));
        }
    }

    private long confirmations()
    {
        long total = 0;
        for (int m = 0; m < members.length; m++)
        {
            if (!crashed[m])
            {
                total += members[m].confirmationsRaised();
            }
        }
        return total;
    }

    private long suspicions()
    {
        long total = 0;
        for (final SwimDetector m : members)
        {
            total += m.suspicionsRaised();
        }
        return total;
    }

    /**
     * Runs events until {@code endNs}, or until a live member confirms a removal (of {@code watched} when >= 0,
     * of anyone otherwise): then {@code nowNs} is that moment.
     */
    private void runUntil(final long endNs, final int watched)
    {
        final long confirmedBefore = confirmations();
        while (!events.isEmpty() && events.peek().timeNs <= endNs)
        {
            final Event e = events.poll();
            nowNs = e.timeNs;
            final int m = e.to;
            if (crashed[m])
            {
                continue;
            }
            if (e.message == null && e.timeNs != tickAtNs[m])
            {
                continue; // a timer overtaken by an earlier one
            }
            final long resume = pauses[m].resumeAt(nowNs);
            if (resume > nowNs)
            {
                if (e.message == null)
                {
                    tickAtNs[m] = resume;
                }
                push(new Event(resume, e.order, m, e.from, e.message));
                continue;
            }
            final SwimDetector.Transport out = transport(m);
            if (e.message == null)
            {
                tickAtNs[m] = Long.MAX_VALUE;
                members[m].onTick(nowNs, out);
            }
            else
            {
                members[m].onMessage(e.from, e.message, nowNs, out);
            }
            final long deadline = Math.max(nowNs, members[m].nextDeadlineNs());
            if (deadline < tickAtNs[m])
            {
                tickAtNs[m] = deadline;
                push(new Event(deadline, order++, m, -1, null));
            }
            if (watched >= 0 ? confirmedBy(watched) : confirmations() > confirmedBefore)
            {
                return;
            }
        }
        nowNs = Math.max(nowNs, endNs);
    }

    private boolean confirmedBy(final int watched)
    {
        for (int m = 0; m < members.length; m++)
        {
            if (m != watched && !crashed[m] && members[m].confirmed(watched))
            {
                return true;
            }
        }
        return false;
    }

    private SwimDetector.Transport transport(final int from)
    {
        return (to, message) ->
        {
            sent++;
            final long arrival = conditions.arrival(nowNs, random);
            if (arrival >= 0)
            {
                push(new Event(arrival, order++, to, from, message));
            }
        };
    }

    private void push(final Event e)
    {
        events.add(e);
    }
}
