package lab.harness.detect;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import lab.core.Endpoint;
import lab.core.Outbox;
import lab.harness.aeron.ExitCleanup;
import lab.harness.aeron.LinkEmulator;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Heartbeats over Aeron in one process, on the real clock ({@code lab detectors --transport ipc}): a sender thread
 * publishes a heartbeat every interval on an IPC stream of an embedded media driver; a watcher thread polls it,
 * passes each message through the lab's link emulator ({@link LinkEmulator}: delay, jitter, loss at the receive
 * edge) and records the real time it is delivered. The sender has GC-like pauses (its thread sleeps; its timers fire
 * when it wakes) and crashes for real (its thread stops sending). The arrivals recorded are then evaluated by every
 * detector alike ({@link HeartbeatBench#measure(String, String, java.util.function.Supplier, HeartbeatRecording)}).
 *
 * <p>What differs from the simulation: the jitter is the link emulator's, uniform in {@code [0, 2 x mean)} and FIFO
 * (no overtaking), plus whatever the machine adds (timer slack, scheduling: real); arrival times are those the
 * watcher sees, polling every 50 us. Real time cannot run an hour: the healthy run is as long as asked, and false
 * suspicions per hour are a count over it (report its confidence interval).
 *
 * <p>Bounded: each phase stops on its own clock; the driver's directory is removed at the end and on a signal
 * ({@link ExitCleanup}).
 */
public final class AeronHeartbeatBench
{
    private static final int STREAM_ID = 7001;
    private static final String CHANNEL = "aeron:ipc?term-length=65536";
    private static final int MESSAGE_LENGTH = 16; // phase (int), sequence (int), sent time (long)
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    /** After a sender stops, how long messages it sent may still be on their way (beyond delay and jitter). */
    private static final long DRAIN_MARGIN_NS = TimeUnit.MILLISECONDS.toNanos(20);

    private AeronHeartbeatBench()
    {
    }

    /**
     * @return the real time the recording takes, about: the healthy run, then per crash the warm-up, up to one
     * interval and the drain.
     */
    public static long expectedNs(final NetworkConditions c, final long healthyNs, final long warmupNs,
        final int crashes)
    {
        return healthyNs + drainNs(c) + crashes * (warmupNs + c.heartbeatIntervalNs() + drainNs(c));
    }

    private static long drainNs(final NetworkConditions c)
    {
        return c.delayNs() + 2 * c.jitterNs() + DRAIN_MARGIN_NS;
    }

    /**
     * Records a healthy run of {@code healthyNs}, then {@code crashes} runs that each warm up for {@code warmupNs}
     * and crash at a random point of the next heartbeat interval.
     */
    public static HeartbeatRecording record(final NetworkConditions conditions, final long healthyNs,
        final long warmupNs, final int crashes, final long seed)
    {
        final String shm = new File("/dev/shm").isDirectory() ? "/dev/shm" : System.getProperty("java.io.tmpdir");
        final String dir = shm + "/lab-detectors-" + UUID.randomUUID();
        final Watcher watcher = new Watcher(conditions, seed);
        final Thread watcherThread = new Thread(watcher, "lab-detectors-watcher");
        watcherThread.setDaemon(true);
        final MediaDriver[] driver = new MediaDriver[1];
        final Aeron[] aeron = new Aeron[1];
        final Runnable close = () ->
        {
            watcher.running = false;
            CloseHelper.quietCloseAll(aeron[0], driver[0]);
        };
        try (ExitCleanup.Registration ignored = ExitCleanup.register("lab detectors over Aeron IPC",
            "the detector table", close, dir))
        {
            try
            {
                // One shared driver thread that sleeps when idle: IPC data does not pass through the driver, and the
                // machine's cores are the sender's and the watcher's.
                driver[0] = MediaDriver.launchEmbedded(new MediaDriver.Context()
                    .aeronDirectoryName(dir)
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true)
                    .termBufferSparseFile(true)
                    .performStorageChecks(false)
                    .ipcTermBufferLength(64 * 1024)
                    .threadingMode(ThreadingMode.SHARED)
                    .sharedIdleStrategy(new SleepingMillisIdleStrategy(1)));
                aeron[0] = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
                final Publication publication = aeron[0].addPublication(CHANNEL, STREAM_ID);
                watcher.subscription = aeron[0].addSubscription(CHANNEL, STREAM_ID);
                final long deadline = System.nanoTime() + CONNECT_TIMEOUT_NS;
                while (!publication.isConnected())
                {
                    if (System.nanoTime() > deadline)
                    {
                        throw new IllegalStateException("lab detectors: the IPC heartbeat stream did not connect");
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                watcherThread.start();

                final Random random = new Random(seed);
                final long[] healthy = runPhase(publication, watcher, conditions, 0, healthyNs, random);
                final List<HeartbeatRecording.CrashTrial> trials = new ArrayList<>();
                for (int i = 1; i <= crashes; i++)
                {
                    final long crashNs = warmupNs + (long)(random.nextDouble() * conditions.heartbeatIntervalNs());
                    trials.add(new HeartbeatRecording.CrashTrial(
                        runPhase(publication, watcher, conditions, i, crashNs, random), crashNs));
                }
                return new HeartbeatRecording(healthy, healthyNs, trials, conditions.heartbeatIntervalNs());
            }
            finally
            {
                watcher.running = false;
                if (watcherThread.isAlive())
                {
                    try
                    {
                        watcherThread.join(TimeUnit.SECONDS.toMillis(5));
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                }
                CloseHelper.quietCloseAll(aeron[0], driver[0]);
                IoUtil.delete(new File(dir), true);
            }
        }
    }

    /**
     * One sender life: heartbeats from one interval after the start until {@code stopNs} (a crash, or the end of the
     * healthy run), then the drain.
     *
     * @return the arrivals the watcher saw, in ns from the phase's start.
     */
    private static long[] runPhase(final Publication publication, final Watcher watcher,
        final NetworkConditions conditions, final int phase, final long stopNs, final Random random)
    {
        final long startNs = System.nanoTime();
        watcher.begin(phase, startNs);
        final Sender sender = new Sender(publication, conditions, phase, startNs, stopNs,
            new Random(random.nextLong()));
        final Thread thread = new Thread(sender, "lab-detectors-sender");
        thread.setDaemon(true);
        thread.start();
        try
        {
            thread.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("lab detectors: interrupted", ex);
        }
        if (sender.failure != null)
        {
            throw new IllegalStateException("lab detectors: heartbeat not sent: " + sender.failure);
        }
        sleepUntil(startNs + stopNs + drainNs(conditions));
        return watcher.end();
    }

    private static void sleepUntil(final long deadlineNs)
    {
        long left;
        while ((left = deadlineNs - System.nanoTime()) > 0)
        {
            LockSupport.parkNanos(left);
        }
    }

    /** The watched process: a heartbeat every interval, paused now and then, stopped for good at its stop time. */
    private static final class Sender implements Runnable
    {
        private final Publication publication;
        private final NetworkConditions conditions;
        private final int phase;
        private final long startNs;
        private final long stopNs;
        private final NetworkConditions.Pauses pauses;
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
        private volatile String failure;

        Sender(final Publication publication, final NetworkConditions conditions, final int phase, final long startNs,
            final long stopNs, final Random random)
        {
            this.publication = publication;
            this.conditions = conditions;
            this.phase = phase;
            this.startNs = startNs;
            this.stopNs = stopNs;
            this.pauses = new NetworkConditions.Pauses(conditions, random, 0);
        }

        public void run()
        {
            int sequence = 0;
            long wantNs = conditions.heartbeatIntervalNs();
            while (true)
            {
                // A paused process acts when it resumes (its timer fired during the pause).
                final long actNs = pauses.resumeAt(wantNs);
                if (actNs >= stopNs)
                {
                    return;
                }
                sleepUntil(startNs + actNs);
                final long sentNs = System.nanoTime() - startNs;
                if (sentNs >= stopNs)
                {
                    return; // overslept into the crash: a dead process sends nothing
                }
                buffer.putInt(0, phase);
                buffer.putInt(4, sequence++);
                buffer.putLong(8, sentNs);
                if (!offer())
                {
                    return;
                }
                wantNs = Math.max(actNs, sentNs) + conditions.heartbeatIntervalNs();
            }
        }

        private boolean offer()
        {
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            long result;
            while ((result = publication.offer(buffer, 0, MESSAGE_LENGTH)) < 0)
            {
                if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED ||
                    System.nanoTime() > deadline)
                {
                    failure = "offer returned " + result;
                    return false;
                }
                Thread.onSpinWait();
            }
            return true;
        }
    }

    /**
     * The watching process: polls the stream, holds each message in the link emulator, and records when it is
     * delivered (only messages of the current phase: a previous sender's stragglers are not this one's).
     */
    private static final class Watcher implements Runnable, Endpoint
    {
        private final LinkEmulator link;
        private final SleepingIdleStrategy idle = new SleepingIdleStrategy(TimeUnit.MICROSECONDS.toNanos(50));
        private volatile Subscription subscription;
        private volatile boolean running = true;
        private volatile int phase = -1;
        private volatile long phaseStartNs;
        private long[] arrivals = new long[1024];
        private int count;

        Watcher(final NetworkConditions conditions, final long seed)
        {
            // The emulator's jitter is uniform in [0, j): j = 2 x the mean asked for.
            this.link = new LinkEmulator(new LinkEmulator.Settings(conditions.delayNs(), 2 * conditions.jitterNs(),
                conditions.loss()), new Random(seed ^ 0x5DEECE66DL));
        }

        synchronized void begin(final int phase, final long startNs)
        {
            count = 0;
            this.phaseStartNs = startNs;
            this.phase = phase;
        }

        synchronized long[] end()
        {
            phase = -1;
            final long[] out = Arrays.copyOf(arrivals, count);
            Arrays.sort(out); // already in order (FIFO link, one watcher): sorted for the evaluation's sake
            return out;
        }

        public void run()
        {
            final Subscription s = subscription;
            while (running)
            {
                int work = s.poll((buffer, offset, length, header) ->
                    link.onReceive(0, buffer, offset, length, System.nanoTime()), 16);
                work += link.deliverDue(this, System.nanoTime(), null);
                if (work == 0)
                {
                    idle.idle();
                }
            }
        }

        public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
            final long nowNs, final Outbox out)
        {
            if (length < MESSAGE_LENGTH)
            {
                return;
            }
            synchronized (this)
            {
                if (buffer.getInt(offset) != phase)
                {
                    return;
                }
                if (count == arrivals.length)
                {
                    arrivals = Arrays.copyOf(arrivals, count * 2);
                }
                arrivals[count++] = nowNs - phaseStartNs;
            }
        }

        public void onTick(final long nowNs, final Outbox out)
        {
        }
    }
}
