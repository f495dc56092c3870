package lab.harness.detect;

/**
 * One detector at one parameter value, measured: detection time after a crash and false suspicions per hour of
 * healthy running.
 *
 * @param detector            timeout, phi or swim.
 * @param parameter           the swept parameter and its value, e.g. {@code phi-threshold=8}.
 * @param detectP50Ms         median time from the crash to the first suspicion (SWIM: the first confirmation).
 * @param detectP99Ms         99th percentile of the same.
 * @param crashes             crash trials.
 * @param falsePerHour        suspicions of a live peer per hour of healthy running, per watched peer (SWIM: live
 *                            members confirmed dead, per member).
 * @param falseCount          the suspicions counted.
 * @param healthyHours        simulated healthy hours they were counted over.
 * @param refutedPerHour      SWIM only (else NaN): suspicions raised and refuted before confirmation, per member.
 * @param messagesPerSecond   messages each process sends per second for failure detection.
 */
public record DetectorPoint(String detector, String parameter, double detectP50Ms, double detectP99Ms, int crashes,
    double falsePerHour, long falseCount, double healthyHours, double refutedPerHour, double messagesPerSecond)
{
}
