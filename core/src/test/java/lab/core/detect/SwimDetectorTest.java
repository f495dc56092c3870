package lab.core.detect;

import java.util.ArrayDeque;
import java.util.Random;
import java.util.function.BiPredicate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwimDetectorTest
{
    private static final long PERIOD = 100;
    private static final long PING_TIMEOUT = 40;
    private static final long SUSPICION = 300;

    /**
     * Members on a network that delivers every message 1 ns later unless {@code drop(from, to)}; crashed members
     * neither tick nor receive.
     */
    private static final class Group
    {
        final SwimDetector[] members;
        final boolean[] crashed;
        final ArrayDeque<Object[]> inFlight = new ArrayDeque<>();
        BiPredicate<Integer, Integer> drop = (from, to) -> false;
        long now;

        Group(final int n, final int k)
        {
            members = new SwimDetector[n];
            crashed = new boolean[n];
            for (int i = 0; i < n; i++)
            {
                members[i] = new SwimDetector(i, n, PERIOD, PING_TIMEOUT, k, SUSPICION, new Random(i));
            }
        }

        void runUntil(final long endNs)
        {
            for (; now < endNs; now++)
            {
                final int pending = inFlight.size();
                for (int i = 0; i < pending; i++)
                {
                    final Object[] m = inFlight.poll();
                    final int to = (int)m[1];
                    if (!crashed[to])
                    {
                        members[to].onMessage((int)m[0], (SwimMessage)m[2], now, transport(to));
                    }
                }
                for (int i = 0; i < members.length; i++)
                {
                    if (!crashed[i])
                    {
                        members[i].onTick(now, transport(i));
                    }
                }
            }
        }

        SwimDetector.Transport transport(final int from)
        {
            return (to, message) ->
            {
                if (!drop.test(from, to))
                {
                    inFlight.add(new Object[]{from, to, message});
                }
            };
        }
    }

    @Test
    void shouldNeverSuspectAHealthyGroup()
    {
        final Group group = new Group(5, 2);
        group.runUntil(10_000);

        for (final SwimDetector member : group.members)
        {
            assertEquals(0, member.suspicionsRaised());
            for (int m = 0; m < 5; m++)
            {
                assertFalse(member.suspected(m));
            }
        }
    }

    @Test
    void shouldSuspectThenConfirmACrashedMemberEverywhere()
    {
        final Group group = new Group(5, 2);
        group.runUntil(1_000);
        group.crashed[3] = true;
        // each member probes 3 once in every shuffled round of 4 periods: within 7 periods, wherever it is in a round
        group.runUntil(1_000 + 8 * PERIOD);
        boolean anySuspects = false;
        for (int i = 0; i < 5; i++)
        {
            anySuspects |= i != 3 && group.members[i].suspected(3);
        }
        assertTrue(anySuspects);

        group.runUntil(1_000 + 9 * PERIOD + SUSPICION);
        for (int i = 0; i < 5; i++)
        {
            if (i != 3)
            {
                assertTrue(group.members[i].confirmed(3), "member " + i);
                assertFalse(group.members[i].suspected((i + 1) % 5 == 3 ? (i + 2) % 5 : (i + 1) % 5));
            }
        }
    }

    @Test
    void shouldReachAMemberThroughIndirectProbesWhenTheDirectLinkIsDown()
    {
        final Group group = new Group(5, 2);
        group.drop = (from, to) -> (from == 0 && to == 1) || (from == 1 && to == 0);
        group.runUntil(10_000);

        assertEquals(0, group.members[0].suspicionsRaised(), "pings to 1 went round through k others");
        assertFalse(group.members[0].suspected(1));
    }

    @Test
    void shouldSuspectWithoutIndirectProbesAndLetTheMemberRefute()
    {
        final Group group = new Group(5, 0);
        group.drop = (from, to) -> (from == 0 && to == 1) || (from == 1 && to == 0);
        group.runUntil(10_000);

        assertTrue(group.members[0].suspicionsRaised() > 0, "k = 0: a broken link is a suspicion");
        // the others heard the suspicion and then 1's refutation (a higher incarnation): nobody confirmed it
        for (int i = 2; i < 5; i++)
        {
            assertFalse(group.members[i].confirmed(1), "member " + i);
        }
    }

    @Test
    void shouldRejectAPingTimeoutOutsideThePeriod()
    {
        assertThrows(IllegalArgumentException.class, () -> new SwimDetector(0, 3, 100, 100, 1, 10, new Random(1)));
        assertThrows(IllegalArgumentException.class, () -> new SwimDetector(0, 3, 100, 0, 1, 10, new Random(1)));
    }
}
