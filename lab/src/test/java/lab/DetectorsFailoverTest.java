package lab;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import lab.harness.cli.LabCommand;
import lab.harness.detect.SimFailover;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lab detectors --failover}: a protocol's failover on the simulator with each detector, one row per protocol
 * and detector, and the same seed giving the same outage (the simulator is exact).
 */
class DetectorsFailoverTest
{
    @Test
    void shouldPrintARowPerProtocolAndDetectorWithTheOutageAfterTheCrash()
    {
        final PrintStream oldOut = System.out;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        final int code;
        try
        {
            code = LabCommand.execute("detectors", "--failover", "--failover-seeds", "1", "--protocols", "chain");
        }
        finally
        {
            System.setOut(oldOut);
        }
        assertEquals(0, code, out.toString());
        final String text = out.toString();
        assertTrue(text.startsWith("SIMULATED failover"), text);
        int rows = 0;
        for (final String line : text.split("\\R"))
        {
            if (line.startsWith("chain "))
            {
                rows++;
                final String[] f = line.trim().split("\\s+");
                assertEquals("head", f[1], line);
                assertTrue(Double.parseDouble(f[3]) > 0, "writes stop when the head crashes: " + line);
            }
        }
        assertEquals(2, rows, "timeout and phi: " + text);
    }

    @Test
    void shouldGiveTheSameOutageForTheSameSeed()
    {
        final SimFailover.Subject raft = SimFailover.SUBJECTS.get(2);
        final java.util.Map<String, String> phi = java.util.Map.of("failure-detector", "phi");
        final SimFailover.Outcome a = SimFailover.run(raft, phi, 3);
        final SimFailover.Outcome b = SimFailover.run(raft, phi, 3);
        assertEquals(a, b);
        assertTrue(a.resumed() && a.unavailableMs() > 0, a.toString());
    }
}
