package lab.harness.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What the clients saw in one phase of a fault window (before, during or after it): throughput, latency
 * percentiles per operation type, stale reads and the longest time no client completed a write. Written to the
 * results as {@code faults.phases} (snake_case, by Jackson). Times are seconds from the start of the run (warm-up
 * included), latencies microseconds; a phase is made of the timeline's intervals whose middle lies in it, so its
 * edges are as fine as the timeline's interval (100 ms with {@code --fault}).
 *
 * @param fault            the fault item that opens the window, as written.
 * @param phase            "before", "during" or "after".
 * @param fromS            start of the phase.
 * @param toS              end of the phase.
 * @param measuredS        time of the intervals in it (0: none, e.g. all in the warm-up).
 * @param opsPerS          operations completed per second.
 * @param writes           writes completed.
 * @param staleReads       stale reads in it, or null when the run did not measure them.
 * @param longestWriteGapMs the longest period in it in which no client completed a write (gaps over 2 ms).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record FaultPhase(String fault, String phase, double fromS, double toS, double measuredS, long opsPerS,
    long writes, double writeP50Us, double writeP99Us, double writeP999Us, double writeMaxUs,
    long reads, double readP50Us, double readP99Us, double readP999Us, double readMaxUs,
    Long staleReads, double longestWriteGapMs)
{
}
