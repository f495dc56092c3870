package lab.harness.detect;

import java.util.List;

/**
 * Heartbeat arrivals recorded from a real sender ({@link AeronHeartbeatBench}), in nanoseconds from the moment the
 * watcher started watching: what {@link HeartbeatBench#measure(String, String, java.util.function.Supplier,
 * HeartbeatRecording)} evaluates every detector on.
 *
 * @param healthyArrivalsNs   the arrivals from a sender that never crashed, over {@code healthyNs}.
 * @param healthyNs           how long the healthy sender ran.
 * @param crashes             one recording per crash.
 * @param heartbeatIntervalNs the sender's heartbeat interval.
 */
public record HeartbeatRecording(long[] healthyArrivalsNs, long healthyNs, List<CrashTrial> crashes,
    long heartbeatIntervalNs)
{
    /**
     * One crash: the arrivals of the heartbeats sent before it (the last ones may arrive after it: they were in
     * flight) and when the sender stopped.
     */
    public record CrashTrial(long[] arrivalsNs, long crashNs)
    {
    }
}
