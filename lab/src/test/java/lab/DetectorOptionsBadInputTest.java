package lab;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import lab.harness.cli.LabCommand;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --opt failure-detector=...} given to a protocol: a detector it cannot use or a bad parameter is one line on
 * stderr and exit 2 before any run starts.
 */
class DetectorOptionsBadInputTest
{
    private static void assertBadInput(final String expectedFragment, final String... args)
    {
        final PrintStream oldOut = System.out;
        final PrintStream oldErr = System.err;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        final int code;
        try
        {
            code = LabCommand.execute(args);
        }
        finally
        {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        final String what = String.join(" ", args) + " -> stderr: " + err;
        assertEquals(LabCommand.EXIT_BAD_INPUT, code, what);
        final String[] lines = err.toString().trim().split("\\R");
        assertEquals(1, lines.length, "one line expected: " + what);
        assertTrue(lines[0].startsWith("lab: ") && lines[0].contains(expectedFragment),
            "expected '" + expectedFragment + "': " + what);
        assertFalse(err.toString().contains("Exception"), what);
        assertEquals("", out.toString(), "no run started: " + what);
    }

    @Test
    void shouldRejectSwimWhichNoProtocolCarries()
    {
        assertBadInput("failure-detector=swim cannot be used by chain", "run", "--protocol", "chain",
            "--transport", "sim", "--opt", "failure-detector=swim");
        assertBadInput("failure-detector=swim cannot be used by primary-backup", "run", "--protocol",
            "primary-backup", "--transport", "sim", "--opt", "failure-detector=swim");
        assertBadInput("failure-detector=swim cannot be used by raft", "run", "--protocol", "raft",
            "--transport", "sim", "--opt", "failure-detector=swim");
    }

    @Test
    void shouldRejectADetectorOptionOfAProtocolWithoutAHeartbeatDetector()
    {
        // quorum has no peer it watches by heartbeats: its clients suspect on timed-out operations (Suspicion)
        assertBadInput("failure-detector=phi cannot be used by quorum: only its clients suspect", "run", "--protocol",
            "quorum", "--transport", "sim", "--opt", "failure-detector=phi");
        assertBadInput("failure-detector=swim cannot be used by quorum", "run", "--protocol", "quorum",
            "--transport", "sim", "--opt", "failure-detector=swim");
        assertBadInput("do not apply to quorum", "run", "--protocol", "quorum", "--transport", "sim", "--opt",
            "failure-detector=timeout", "--opt", "phi-threshold=8");
    }

    @Test
    void shouldAcceptTheTimeoutDetectorOnQuorumAsItsClientsSuspicion()
    {
        final lab.core.ProtocolSettings settings = new lab.core.ProtocolSettings(3, 1, 1,
            java.util.Map.of("failure-detector", "timeout"));
        lab.core.Protocols.byName("quorum").validate(settings);
        assertEquals(java.util.Set.of(), settings.unknownOptions());
        assertEquals("timeout", settings.effectiveOptions().get("failure-detector"), "read, so printed");
        final lab.core.ProtocolSettings plain = new lab.core.ProtocolSettings(3, 1, 1, java.util.Map.of());
        lab.core.Protocols.byName("quorum").validate(plain);
        assertFalse(plain.effectiveOptions().containsKey("failure-detector"), "not given: options print as before");
    }

    @Test
    void shouldRejectBadFailoverRequestsBeforeAnyRun()
    {
        assertBadInput("--failover runs on the simulator", "detectors", "--failover", "--transport", "ipc");
        assertBadInput("failure-detector=swim cannot be used by primary-backup", "detectors", "--failover",
            "--failover-detector", "failure-detector=swim");
        assertBadInput("--protocols takes primary-backup, chain and raft", "detectors", "--failover", "--protocols",
            "quorum");
        assertBadInput("--failover-detector takes k=v;k=v", "detectors", "--failover", "--failover-detector",
            "phi-threshold");
        assertBadInput("--failover-seeds must be >= 1", "detectors", "--failover", "--failover-seeds", "0");
        assertBadInput("phi-threshold must be > 0", "detectors", "--failover", "--failover-detector",
            "failure-detector=phi;phi-threshold=0");
    }

    @Test
    void shouldRejectBadPhiParameters()
    {
        assertBadInput("phi-threshold must be > 0", "run", "--protocol", "raft", "--transport", "sim", "--opt",
            "failure-detector=phi", "--opt", "phi-threshold=0");
        assertBadInput("fd-window must be >= 2", "run", "--protocol", "chain", "--transport", "sim", "--opt",
            "failure-detector=phi", "--opt", "fd-window=1");
        assertBadInput("do not apply to primary-backup", "run", "--protocol", "primary-backup", "--transport", "sim",
            "--opt", "phi-threshold=8");
    }
}
