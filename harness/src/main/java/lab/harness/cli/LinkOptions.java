package lab.harness.cli;

import lab.harness.aeron.LinkEmulator;
import lab.core.Durations;
import lab.harness.cluster.RunConfig;
import picocli.CommandLine.Option;

/**
 * Link emulation flags shared by the commands that run clusters.
 */
public final class LinkOptions
{
    @Option(names = "--link-delay", description = "one-way delay added to every link, e.g. 200us (Aeron: the lab's " +
        "receive-edge stage, no netem needed; sim: the link latency)")
    String delay;

    @Option(names = "--link-jitter", description = "uniform extra delay per message, e.g. 20us")
    String jitter;

    @Option(names = "--link-loss", description = "probability a message is lost on a link, e.g. 0.01")
    Double loss;

    void applyTo(final RunConfig.Builder config)
    {
        if (delay == null && jitter == null && loss == null)
        {
            return;
        }
        final long delayNs = delay == null ? 0 : Durations.parseNs(delay);
        final long jitterNs = jitter == null ? 0 : Durations.parseNs(jitter);
        final double lossRate = loss == null ? 0 : loss;
        if ("sim".equals(config.transport()))
        {
            config.sim().latency(delayNs, jitterNs).loss(lossRate);
        }
        else
        {
            config.link(new LinkEmulator.Settings(delayNs, jitterNs, lossRate));
        }
    }
}
