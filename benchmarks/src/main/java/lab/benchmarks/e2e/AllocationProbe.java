package lab.benchmarks.e2e;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated per operation by thread, from HotSpot's per-thread allocation counters
 * ({@link com.sun.management.ThreadMXBean}), over one JMH iteration (warm-up and warm-down operations included, as
 * with {@code -prof gc}).
 */
final class AllocationProbe
{
    private final com.sun.management.ThreadMXBean threads;
    private Thread nodeThread;
    private long nodeStart;
    private long callerStart;
    private long totalStart;
    private long opsStart;

    AllocationProbe()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        threads = bean instanceof com.sun.management.ThreadMXBean ? (com.sun.management.ThreadMXBean)bean : null;
    }

    void begin(final Thread nodeThread, final long operations)
    {
        if (threads == null)
        {
            return;
        }
        this.nodeThread = nodeThread;
        nodeStart = nodeThread == null ? 0 : threads.getThreadAllocatedBytes(nodeThread.getId());
        callerStart = threads.getCurrentThreadAllocatedBytes();
        totalStart = threads.getTotalThreadAllocatedBytes();
        opsStart = operations;
    }

    void end(final long operations)
    {
        if (threads == null)
        {
            return;
        }
        final long ops = Math.max(1, operations - opsStart);
        final long node = nodeThread == null ? -1 : threads.getThreadAllocatedBytes(nodeThread.getId()) - nodeStart;
        final long caller = threads.getCurrentThreadAllocatedBytes() - callerStart;
        final long total = threads.getTotalThreadAllocatedBytes() - totalStart;
        System.out.printf("%n  allocation per op over %d ops: node thread %.3f B/op, JMH thread %.3f B/op, " +
            "whole JVM %.3f B/op%n", ops, (double)node / ops, (double)caller / ops, (double)total / ops);
    }
}
