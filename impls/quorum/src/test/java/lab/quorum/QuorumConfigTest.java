package lab.quorum;

import java.util.Map;
import java.util.TreeMap;

import lab.core.HopTheory;
import lab.core.ProtocolSettings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuorumConfigTest
{
    private final QuorumFactory factory = new QuorumFactory();

    private static ProtocolSettings settings(final int replicas, final String... options)
    {
        final Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < options.length; i += 2)
        {
            map.put(options[i], options[i + 1]);
        }
        return new ProtocolSettings(replicas, 1, 1, map);
    }

    @Test
    void shouldDefaultToDynamoWithMajorityQuorumsAndPrintEveryOption()
    {
        final ProtocolSettings s = settings(5);
        factory.validate(s);
        assertEquals("dynamo", s.effectiveOptions().get("quorum-mode"));
        assertEquals("3", s.effectiveOptions().get("r"));
        assertEquals("3", s.effectiveOptions().get("w"));
        assertEquals("client", s.effectiveOptions().get("coordinator"));
        assertEquals("", factory.warnings(s));
    }

    @Test
    void shouldRejectAbdWithoutMajorityQuorums()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> factory.validate(settings(5, "quorum-mode", "abd", "r", "2", "w", "4")));
        assertTrue(ex.getMessage().contains("majority"), ex.getMessage());
    }

    @Test
    void shouldAcceptAnyDynamoQuorumsAndWarnWhenTheyNeedNotOverlap()
    {
        for (int r = 1; r <= 3; r++)
        {
            for (int w = 1; w <= 3; w++)
            {
                final ProtocolSettings s = settings(3, "r", Integer.toString(r), "w", Integer.toString(w));
                factory.validate(s);
                final boolean warned = factory.warnings(s).contains("stale reads are possible");
                assertEquals(r + w <= 3, warned, "r=" + r + " w=" + w);
            }
        }
    }

    @Test
    void shouldRejectQuorumsOutsideOneToN()
    {
        assertThrows(IllegalArgumentException.class, () -> factory.validate(settings(3, "r", "0")));
        assertThrows(IllegalArgumentException.class, () -> factory.validate(settings(3, "w", "4")));
        assertThrows(IllegalArgumentException.class, () -> factory.validate(settings(3, "n", "4")));
    }

    @Test
    void shouldRejectSloppyQuorumWithoutSparesOrInAbd()
    {
        assertThrows(IllegalArgumentException.class, () -> factory.validate(settings(3, "sloppy-quorum", "true")));
        assertThrows(IllegalArgumentException.class,
            () -> factory.validate(settings(5, "n", "3", "quorum-mode", "abd", "sloppy-quorum", "true")));
        factory.validate(settings(5, "n", "3", "sloppy-quorum", "true"));
    }

    @Test
    void shouldPredictTwoHopsForDynamoAndFourForAbdWithClientCoordinator()
    {
        assertEquals(new HopTheory(2, 2, ""), withoutNote(factory.theory(settings(3))));
        assertEquals(new HopTheory(4, 4, ""), withoutNote(factory.theory(settings(5, "quorum-mode", "abd"))));
    }

    @Test
    void shouldPredictFourHopsThroughAReplicaCoordinatorUnlessItsOwnReplyIsAQuorum()
    {
        assertEquals(new HopTheory(4, 4, ""), withoutNote(factory.theory(settings(3, "coordinator", "replica"))));
        assertEquals(new HopTheory(2, 4, ""),
            withoutNote(factory.theory(settings(3, "coordinator", "replica", "w", "1"))));
        assertEquals(new HopTheory(6, 6, ""),
            withoutNote(factory.theory(settings(3, "coordinator", "replica", "quorum-mode", "abd"))));
    }

    private static HopTheory withoutNote(final HopTheory theory)
    {
        return new HopTheory(theory.writeHops(), theory.readHops(), "");
    }

    @Test
    void shouldJournalOnTheDiskWithFileStorageAndNeedANamedFolderForAProcessRestart()
    {
        final QuorumConfig file = new QuorumConfig(settings(3, "quorum-storage", "file"));
        assertTrue(file.durable && file.onDisk);
        assertTrue(factory.processRestartProblem(settings(3, "quorum-storage", "file")).contains("quorum-dir"));
        assertEquals(null, factory.processRestartProblem(settings(3, "quorum-storage", "file", "quorum-dir", "/x")));
        final QuorumConfig memory = new QuorumConfig(settings(3));
        assertTrue(memory.durable && !memory.onDisk);
        // The folder is an option of file storage only: other runs print the options they printed before.
        final ProtocolSettings s = settings(3);
        factory.validate(s);
        assertEquals(null, s.effectiveOptions().get("quorum-dir"));
        assertThrows(IllegalArgumentException.class, () -> new QuorumConfig(settings(3, "quorum-storage", "disk")));
    }
}
