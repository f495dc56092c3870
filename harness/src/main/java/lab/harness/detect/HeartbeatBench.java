package lab.harness.detect;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;

import lab.core.detect.FailureDetector;

/**
 * A heartbeat detector ({@link FailureDetector}: timeout or phi) watching one sender, simulated: the sender's
 * heartbeats go through {@link NetworkConditions} (delay, jitter, loss, the sender's pauses) and the detector sees
 * their arrivals. Deterministic from the seed, and fast: between two arrivals a detector's suspicion only grows
 * (phi rises with the silence, a timeout runs out), so the detector is asked at arrivals and the moment it first
 * suspects is found by bisection (to 1 us), with no clock ticking in between.
 * <ul>
 *   <li>False suspicions: over {@code healthyNs} of a sender that never crashes, each silence at whose end the
 *   detector suspected is one (at most one per gap between arrivals).</li>
 *   <li>Detection: in each of {@code crashes} trials a fresh detector watches a warm-up (to fill its window), the
 *   sender crashes at a random point of a heartbeat interval, messages already sent still arrive, and the time
 *   from the crash to the first suspicion is one sample (0 when the detector already suspected it).</li>
 * </ul>
 */
public final class HeartbeatBench
{
    /** A detector that has not suspected an hour after the crash never will: it is reported as that hour. */
    private static final long GIVE_UP_NS = 3_600_000_000_000L;
    private static final long RESOLUTION_NS = 1_000;

    private HeartbeatBench()
    {
    }

    public static DetectorPoint measure(final String detector, final String parameter,
        final Supplier<FailureDetector> factory, final NetworkConditions conditions, final long healthyNs,
        final long warmupNs, final int crashes, final long seed)
    {
        final Random random = new Random(seed);
        final long falseCount = falseSuspicions(factory.get(), conditions, healthyNs, random);
        final double[] detect = new double[crashes];
        for (int i = 0; i < crashes; i++)
        {
            final long crashNs = warmupNs + (long)(random.nextDouble() * conditions.heartbeatIntervalNs());
            detect[i] = detectionNs(factory.get(), conditions, crashNs, random) / 1e6;
        }
        Arrays.sort(detect);
        final double hours = healthyNs / 3.6e12;
        return new DetectorPoint(detector, parameter, percentile(detect, 0.50), percentile(detect, 0.99), crashes,
            falseCount / hours, falseCount, hours, Double.NaN, 1e9 / conditions.heartbeatIntervalNs());
    }

    /**
     * The same measures on heartbeats recorded elsewhere ({@link AeronHeartbeatBench}: a real sender over Aeron, the
     * real clock): every detector is evaluated on the same arrivals, as the simulation gives every point the same
     * seed.
     */
    public static DetectorPoint measure(final String detector, final String parameter,
        final Supplier<FailureDetector> factory, final HeartbeatRecording recording)
    {
        final long falseCount = falseSuspicions(factory.get(), recording.healthyArrivalsNs());
        final double[] detect = new double[recording.crashes().size()];
        for (int i = 0; i < detect.length; i++)
        {
            final HeartbeatRecording.CrashTrial trial = recording.crashes().get(i);
            detect[i] = detectionNs(factory.get(), trial.arrivalsNs(), trial.crashNs(),
                recording.heartbeatIntervalNs()) / 1e6;
        }
        Arrays.sort(detect);
        final double hours = recording.healthyNs() / 3.6e12;
        return new DetectorPoint(detector, parameter, percentile(detect, 0.50), percentile(detect, 0.99),
            detect.length, falseCount / hours, falseCount, hours, Double.NaN, 1e9 / recording.heartbeatIntervalNs());
    }

    static double percentile(final double[] sorted, final double p)
    {
        if (sorted.length == 0)
        {
            return Double.NaN;
        }
        final int index = (int)Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /**
     * @return the arrival times, in order, of the heartbeats a sender that stops at {@code stopNs} sends from 0.
     */
    static long[] arrivals(final NetworkConditions conditions, final long stopNs, final Random random)
    {
        final NetworkConditions.Pauses pauses = new NetworkConditions.Pauses(conditions, random, 0);
        long[] out = new long[1024];
        int count = 0;
        long wantNs = conditions.heartbeatIntervalNs();
        while (true)
        {
            final long sentNs = pauses.resumeAt(wantNs);
            if (sentNs >= stopNs)
            {
                break;
            }
            final long arrival = conditions.arrival(sentNs, random);
            if (arrival >= 0)
            {
                if (count == out.length)
                {
                    out = Arrays.copyOf(out, count * 2);
                }
                out[count++] = arrival;
            }
            wantNs = sentNs + conditions.heartbeatIntervalNs();
        }
        final long[] arrivals = Arrays.copyOf(out, count);
        Arrays.sort(arrivals);
        return arrivals;
    }

    static long falseSuspicions(final FailureDetector detector, final NetworkConditions conditions,
        final long healthyNs, final Random random)
    {
        return falseSuspicions(detector, arrivals(conditions, healthyNs, random));
    }

    /**
     * @param arrivals a live sender's heartbeat arrivals, in order, from 0 (the detector starts watching at 0).
     * @return the silences at whose end the detector suspected the sender.
     */
    static long falseSuspicions(final FailureDetector detector, final long[] arrivals)
    {
        detector.reset(0, 0);
        long count = 0;
        for (final long arrival : arrivals)
        {
            if (detector.suspected(0, arrival))
            {
                count++;
            }
            detector.heartbeat(0, arrival);
        }
        return count;
    }

    static long detectionNs(final FailureDetector detector, final NetworkConditions conditions, final long crashNs,
        final Random random)
    {
        return detectionNs(detector, arrivals(conditions, crashNs, random), crashNs,
            conditions.heartbeatIntervalNs());
    }

    /**
     * @param arrivals  the arrivals, in order from 0, of the heartbeats a sender sent before it crashed at
     *                  {@code crashNs} (some may arrive after it: they were in flight).
     * @return the time from the crash to the detector's first suspicion (0 when it already suspected the sender).
     */
    static long detectionNs(final FailureDetector detector, final long[] arrivals, final long crashNs,
        final long heartbeatIntervalNs)
    {
        detector.reset(0, 0);
        long fromNs = crashNs;
        boolean crashed = false;
        for (final long arrival : arrivals)
        {
            if (!crashed && arrival > crashNs)
            {
                crashed = true;
                if (detector.suspected(0, crashNs))
                {
                    return 0;
                }
            }
            if (crashed && detector.suspected(0, arrival))
            {
                return firstSuspicion(detector, fromNs, arrival) - crashNs;
            }
            detector.heartbeat(0, arrival);
            fromNs = Math.max(fromNs, arrival);
        }
        if (!crashed && detector.suspected(0, crashNs))
        {
            return 0;
        }
        long hi = fromNs + heartbeatIntervalNs;
        while (!detector.suspected(0, hi))
        {
            if (hi - fromNs > GIVE_UP_NS)
            {
                return GIVE_UP_NS;
            }
            hi = fromNs + 2 * (hi - fromNs);
        }
        return firstSuspicion(detector, fromNs, hi) - crashNs;
    }

    /**
     * @return the first time in {@code (lo, hi]} the detector suspects, given it does not at lo and does at hi.
     */
    private static long firstSuspicion(final FailureDetector detector, final long lo, final long hi)
    {
        long a = lo;
        long b = hi;
        while (b - a > RESOLUTION_NS)
        {
            final long mid = a + (b - a) / 2;
            if (detector.suspected(0, mid))
            {
                b = mid;
            }
            else
            {
                a = mid;
            }
        }
        return b;
    }
}
