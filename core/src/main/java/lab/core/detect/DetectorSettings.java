package lab.core.detect;

import lab.core.Durations;
import lab.core.ProtocolSettings;

/**
 * Which failure detector a protocol watches its peers with, and its parameters, read from protocol options (so
 * they are printed with every result, like every option a protocol reads):
 * <ul>
 *   <li>{@code failure-detector} = {@code timeout} (the default: each protocol's own fixed timeout, as before),
 *   {@code phi} (phi accrual) or {@code swim} (only where SWIM's messages are carried: {@code bin/lab detectors};
 *   a protocol rejects it).</li>
 *   <li>{@code fd-timeout}: the fixed timeout; its default is the protocol's own option (e.g.
 *   {@code chain-failure-timeout}), so a run without these options behaves and measures as before.</li>
 *   <li>{@code phi-threshold} (8, Akka's default), {@code fd-window} (100 inter-arrival samples),
 *   {@code fd-min-std-dev} (5 ms) and {@code fd-pause} (0: Akka's acceptable heartbeat pause, added to the mean):
 *   read only with {@code failure-detector=phi}.</li>
 *   <li>The heartbeat interval (the first estimate of the mean interval) is the protocol's own heartbeat option;
 *   {@code bin/lab detectors} takes it as {@code heartbeat-interval}.</li>
 * </ul>
 */
public record DetectorSettings(Kind kind, long timeoutNs, double phiThreshold, int window, long minStdDevNs,
    long pauseNs, long heartbeatIntervalNs)
{
    public static final String DETECTOR = "failure-detector";
    public static final String TIMEOUT = "fd-timeout";
    public static final String PHI_THRESHOLD = "phi-threshold";
    public static final String WINDOW = "fd-window";
    public static final String MIN_STD_DEV = "fd-min-std-dev";
    public static final String PAUSE = "fd-pause";

    public static final String DEFAULT_PHI_THRESHOLD = "8";
    public static final String DEFAULT_WINDOW = "100";
    public static final String DEFAULT_MIN_STD_DEV = "5ms";
    public static final String DEFAULT_PAUSE = "0ms";

    public enum Kind
    {
        TIMEOUT, PHI, SWIM;

        public String optionValue()
        {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @throws IllegalArgumentException for a timeout or heartbeat that is not > 0, {@code phi-threshold} <= 0, a
     *                                  window below 2, a minimum standard deviation that is not > 0 or a negative
     *                                  pause.
     */
    public DetectorSettings
    {
        if (timeoutNs < 0 || heartbeatIntervalNs <= 0)
        {
            throw new IllegalArgumentException(TIMEOUT + " and the heartbeat interval must be > 0");
        }
        if (!(phiThreshold > 0) || Double.isInfinite(phiThreshold))
        {
            throw new IllegalArgumentException(PHI_THRESHOLD + " must be > 0, got " + phiThreshold);
        }
        if (window < 2)
        {
            throw new IllegalArgumentException(WINDOW + " must be >= 2 (a standard deviation needs two samples), got "
                + window);
        }
        if (minStdDevNs <= 0 || pauseNs < 0)
        {
            throw new IllegalArgumentException(MIN_STD_DEV + " must be > 0 and " + PAUSE + " >= 0");
        }
    }

    /**
     * Reads the options a protocol's detector needs, recording each with its default.
     *
     * @param protocolTimeout     the protocol's own timeout as given (its option's value): {@code fd-timeout}'s
     *                            default; null for a protocol with several timeouts of its own (primary-backup's
     *                            backup and primary timeouts) or none (Raft's randomized election timeout), which
     *                            does not read {@code fd-timeout} (timeout 0 here: see
     *                            {@link #newDetector(int, String, long)}).
     * @param heartbeatIntervalNs the protocol's heartbeat interval.
     */
    public static DetectorSettings from(final ProtocolSettings s, final String protocolTimeout,
        final long heartbeatIntervalNs)
    {
        final Kind kind = Kind.valueOf(s.choice(DETECTOR, "timeout", "timeout", "phi", "swim")
            .toUpperCase(java.util.Locale.ROOT));
        final long timeoutNs = protocolTimeout == null ? 0 : s.durationNsOption(TIMEOUT, protocolTimeout);
        if (kind != Kind.PHI)
        {
            return new DetectorSettings(kind, timeoutNs, Double.parseDouble(DEFAULT_PHI_THRESHOLD),
                Integer.parseInt(DEFAULT_WINDOW), Durations.parseNs(DEFAULT_MIN_STD_DEV),
                Durations.parseNs(DEFAULT_PAUSE), heartbeatIntervalNs);
        }
        return new DetectorSettings(kind, timeoutNs, parseThreshold(s.option(PHI_THRESHOLD, DEFAULT_PHI_THRESHOLD)),
            s.intOption(WINDOW, Integer.parseInt(DEFAULT_WINDOW)), s.durationNsOption(MIN_STD_DEV, DEFAULT_MIN_STD_DEV),
            s.durationNsOption(PAUSE, DEFAULT_PAUSE), heartbeatIntervalNs);
    }

    /**
     * For a protocol whose only detector is its clients' ({@link lab.core.client.Suspicion}: a timeout detector
     * fed by replies, timed by the operation's own timeout): {@code failure-detector=timeout} is accepted (and
     * printed) as what it already is; phi and SWIM are refused with the reason. Read only when given, so a run
     * without the option prints and behaves as before.
     *
     * @throws IllegalArgumentException (one line) for {@code phi} or {@code swim}.
     */
    public static void checkClientDetector(final ProtocolSettings s, final String protocol)
    {
        if (!s.hasOption(DETECTOR))
        {
            return;
        }
        final String kind = s.choice(DETECTOR, "timeout", "timeout", "phi", "swim");
        if (!"timeout".equals(kind))
        {
            throw new IllegalArgumentException(DETECTOR + "=" + kind + " cannot be used by " + protocol + ": only its " +
                "clients suspect replicas, on an operation that timed out (client-retry; avoided for client-suspect); " +
                "they get no heartbeats and the spacing of replies follows their own load, so " +
                ("phi".equals(kind) ? "phi would learn the load, not the replica" : "there is nothing to probe") +
                "; use timeout (the default)");
        }
    }

    public static double parseThreshold(final String value)
    {
        try
        {
            return Double.parseDouble(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(PHI_THRESHOLD + " must be a number, got '" + value + "'");
        }
    }

    /**
     * Checks, when a protocol reads its options (before any run starts), that it can use this detector.
     *
     * @return this.
     * @throws IllegalArgumentException for {@code swim}, as {@link #newDetector} would.
     */
    public DetectorSettings usableBy(final String protocol)
    {
        if (kind == Kind.SWIM)
        {
            newDetector(1, protocol);
        }
        return this;
    }

    /**
     * @param protocol who asks, for the error a SWIM choice gets.
     * @return a heartbeat detector over {@code peers} peers.
     * @throws IllegalArgumentException for {@code swim}: it needs probe messages of its own that no protocol of the
     *                                  lab carries.
     */
    public FailureDetector newDetector(final int peers, final String protocol)
    {
        return newDetector(peers, protocol, timeoutNs);
    }

    /**
     * As {@link #newDetector(int, String)}, a fixed timeout of {@code ownTimeoutNs} unless {@code fd-timeout} was
     * read: for a protocol whose timeouts are its own options.
     */
    public FailureDetector newDetector(final int peers, final String protocol, final long ownTimeoutNs)
    {
        return switch (kind)
        {
            case TIMEOUT -> new TimeoutDetector(peers, timeoutNs > 0 ? timeoutNs : ownTimeoutNs);
            case PHI -> new PhiAccrualDetector(peers, phiThreshold, window, minStdDevNs, pauseNs, heartbeatIntervalNs);
            case SWIM -> throw new IllegalArgumentException(DETECTOR + "=swim cannot be used by " + protocol
                + ": SWIM needs probe messages of its own that " + protocol
                + " does not carry (it runs in bin/lab detectors); use timeout or phi");
        };
    }

    private static String ms(final long ns)
    {
        return (ns % 1_000_000 == 0 ? Long.toString(ns / 1_000_000) : Double.toString(ns / 1e6)) + "ms";
    }

    /**
     * @return one line naming the detector and its parameters, for a result's header.
     */
    public String describe()
    {
        return switch (kind)
        {
            case TIMEOUT -> timeoutNs > 0 ? "timeout " + ms(timeoutNs) : "timeout (the protocol's own)";
            case PHI -> "phi threshold " + phiThreshold + " window " + window + " min-std-dev "
                + ms(minStdDevNs) + " pause " + ms(pauseNs) + " heartbeat "
                + ms(heartbeatIntervalNs);
            case SWIM -> "swim";
        };
    }
}
