package lab.harness.cluster;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnavailabilityTest
{
    private static final long MS = 1_000_000L;
    private static final long MIN_GAP = 2 * MS;
    private static final long CRASH = 2000 * MS;
    private static final long END = 6000 * MS;

    private static long[] gap(final long fromMs, final long toMs)
    {
        return new long[]{fromMs * MS, toMs * MS};
    }

    @Test
    void shouldBeTheGapAcrossTheCrashWhenOneClientWrites()
    {
        final Unavailability.Window w = Unavailability.around(
            List.of(List.of(gap(2000, 2300))), new long[]{5999 * MS}, MIN_GAP, CRASH, END);
        assertEquals(300 * MS, w.lengthNs());
        assertTrue(w.resumed());
    }

    @Test
    void shouldCountOnlyTimeInWhichNoClientCompletedAWrite()
    {
        final Unavailability.Window w = Unavailability.around(
            List.of(List.of(gap(2000, 2300)), List.of(gap(2100, 2400))), new long[]{5999 * MS, 5999 * MS}, MIN_GAP,
            CRASH, END);
        assertEquals(2100 * MS, w.fromNs());
        assertEquals(2300 * MS, w.toNs());
    }

    @Test
    void shouldJoinGapsSeparatedByAFewWritesIntoOneOutage()
    {
        // A new leader answers the writes it had in its log at 2158 ms, then is silent until clients retry.
        final Unavailability.Window w = Unavailability.around(
            List.of(List.of(gap(1999, 2158), gap(2160, 2464))), new long[]{5999 * MS}, MIN_GAP, CRASH, END);
        assertEquals(1999 * MS, w.fromNs());
        assertEquals(2464 * MS, w.toNs());
        assertEquals(304 * MS, w.longestGapNs());
    }

    @Test
    void shouldNotJoinTheOrdinaryPausesOfASlowRun()
    {
        final Unavailability.Window w = Unavailability.around(
            List.of(List.of(gap(2000, 2300), gap(2303, 2306), gap(2309, 2312))), new long[]{5999 * MS}, MIN_GAP,
            CRASH, END);
        assertEquals(2300 * MS, w.toNs());
    }

    @Test
    void shouldNotJoinAStallFarFromTheOutage()
    {
        final Unavailability.Window w = Unavailability.around(
            List.of(List.of(gap(2000, 2300), gap(4000, 4005))), new long[]{5999 * MS}, MIN_GAP, CRASH, END);
        assertEquals(300 * MS, w.lengthNs());
    }

    @Test
    void shouldRunToTheEndOfTheRunWhenWritesNeverResume()
    {
        final Unavailability.Window w = Unavailability.around(
            List.of(List.of()), new long[]{1999 * MS}, MIN_GAP, CRASH, END);
        assertEquals(4001 * MS, w.lengthNs());
        assertFalse(w.resumed());
    }

    @Test
    void shouldIgnoreGapsThatEndedBeforeTheCrash()
    {
        assertNull(Unavailability.around(List.of(List.of(gap(1000, 1500))), new long[]{5999 * MS}, MIN_GAP, CRASH,
            END));
    }

    @Test
    void shouldIgnoreAClientThatNeverWrote()
    {
        final Unavailability.Window w = Unavailability.around(
            List.of(List.of(), List.of(gap(2000, 2300))), new long[]{Long.MIN_VALUE, 5999 * MS}, MIN_GAP, CRASH, END);
        assertEquals(300 * MS, w.lengthNs());
    }

    @Test
    void shouldEndWhenWritesResumeEvenIfTheRunEndsInALongerGap()
    {
        // Seen in a real run: writes resumed 250 ms after the crash; the run's last 545 ms were a gap of their own.
        // The window is the crash's outage, and writes resumed.
        final Unavailability.Window w = Unavailability.around(
            List.of(List.of(gap(1999, 2250))), new long[]{5455 * MS}, MIN_GAP, CRASH, END);
        assertEquals(1999 * MS, w.fromNs());
        assertEquals(2250 * MS, w.toNs());
        assertTrue(w.resumed());
        assertEquals(251 * MS, w.longestGapNs());
    }

    @Test
    void shouldNotTakeALongerGapLaterInTheRunForTheCrashOutage()
    {
        final Unavailability.Window w = Unavailability.around(
            List.of(List.of(gap(1990, 2100), gap(3000, 3800))), new long[]{5999 * MS}, MIN_GAP, CRASH, END);
        assertEquals(1990 * MS, w.fromNs());
        assertEquals(2100 * MS, w.toNs());
    }

    @Test
    void shouldBeAbsentWhenWritesWentOnThroughTheCrash()
    {
        // A follower crash that a quorum absorbs: ordinary short pauses follow it, and the next stall comes 1.5 s later
        // and belongs to something else.
        assertNull(Unavailability.around(List.of(List.of(gap(2001, 2004), gap(2100, 2110), gap(3500, 3800))),
            new long[]{5999 * MS}, MIN_GAP, CRASH, END));
    }

    @Test
    void shouldStartAtAGapThatBeginsJustAfterTheCrash()
    {
        // Writes already in flight complete at the surviving replicas, then the outage begins.
        final Unavailability.Window w = Unavailability.around(
            List.of(List.of(gap(2003, 2400))), new long[]{5999 * MS}, MIN_GAP, CRASH, END);
        assertEquals(2003 * MS, w.fromNs());
        assertEquals(397 * MS, w.lengthNs());
    }
}
