package lab.control;

import java.util.Arrays;

import lab.core.detect.FailureDetector;

/**
 * How the acting node of a configuration service watches the members it configures, by their heartbeats: a
 * heartbeat overtaken by a newer one (reordering, duplication) brings no news; a member is silent when the failure
 * detector suspects it and nothing was heard from it for the failure timeout, the floor a lease rests on (a detector
 * may suspect later than the timeout, phi under jitter, never remove earlier). A node that starts acting hears
 * nothing for a takeover grace beyond that: a deposed acting node that did not know it yet (Raft's check-quorum steps
 * it down within an election timeout) may have granted leases until then. Shared by the chain's manager and
 * primary-backup's view service.
 */
public final class MemberWatch
{
    private final FailureDetector detector;
    private final long takeoverGraceNs;
    private final long[] lastHeardNs;
    private final long[] lastSentNs;
    private final boolean[] heardSinceStart;

    /**
     * @param takeoverGraceNs how long past the failure timeout a node that starts acting waits before it finds
     *                        anyone silent (0: a single, unreplicated service).
     */
    public MemberWatch(final int members, final FailureDetector detector, final long takeoverGraceNs)
    {
        this.detector = detector;
        this.takeoverGraceNs = takeoverGraceNs;
        lastHeardNs = new long[members];
        lastSentNs = new long[members];
        heardSinceStart = new boolean[members];
        Arrays.fill(lastSentNs, Long.MIN_VALUE);
    }

    /**
     * @return whether a heartbeat the member sent at {@code sentNs} (its clock) is newer than every one before it;
     * remembered, so a stale one is news once at most.
     */
    public boolean fresh(final int member, final long sentNs)
    {
        if (sentNs <= lastSentNs[member])
        {
            return false;
        }
        lastSentNs[member] = sentNs;
        return true;
    }

    /**
     * The acting node heard a heartbeat of the member.
     */
    public void heard(final int member, final long nowNs)
    {
        lastHeardNs[member] = Math.max(lastHeardNs[member], nowNs);
        heardSinceStart[member] = true;
        detector.heartbeat(member, nowNs);
    }

    /**
     * This node starts acting: every member counts as heard from at {@code nowNs} plus the takeover grace.
     */
    public void start(final long nowNs)
    {
        Arrays.fill(lastHeardNs, nowNs + takeoverGraceNs);
        Arrays.fill(heardSinceStart, false);
        for (int i = 0; i < lastHeardNs.length; i++)
        {
            detector.reset(i, nowNs);
        }
    }

    /**
     * @return whether the member may be removed for its silence: suspected, and unheard for {@code timeoutNs}.
     */
    public boolean silent(final int member, final long timeoutNs, final long nowNs)
    {
        return detector.suspected(member, nowNs) && nowNs - lastHeardNs[member] > timeoutNs;
    }

    /**
     * @return whether a heartbeat of the member arrived since this node started acting (what it reported is news of
     * this reign, not a standby's stale memory).
     */
    public boolean heardSinceStart(final int member)
    {
        return heardSinceStart[member];
    }

    public long lastHeardNs(final int member)
    {
        return lastHeardNs[member];
    }
}
