package lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/lab run --profile DIR} in one process: async-profiler samples the whole lab JVM over the measured window
 * and leaves a flamegraph and folded stacks in which the node thread's work shows.
 */
class InProcessProfileTest
{
    @Test
    void shouldWriteAFlamegraphAndFoldedStacksOfTheNodeThread(@TempDir final Path dir) throws Exception
    {
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol("primary-backup");
        config.transport("ipc");
        config.durationNs(TimeUnit.MILLISECONDS.toNanos(1500));
        config.warmupNs(TimeUnit.MILLISECONDS.toNanos(300));
        config.profileDir(dir.toFile());
        final RunResult result = LabRunner.run(config.build());

        assertTrue(result.writes().count() > 0, "writes completed");
        final Path flame = dir.resolve("flame-in-process.html");
        assertTrue(Files.size(flame) > 1000, "flamegraph written");
        assertTrue(result.transportStats().containsKey("profile_event"), String.valueOf(result.transportStats()));
        final String folded = Files.readString(dir.resolve("in-process.collapsed"));
        assertTrue(folded.contains("lab/harness/aeron/NodeAgent.doWork"), "the node thread was sampled");
    }
}
