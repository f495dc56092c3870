package lab.harness.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * calibration.json with a role's cost per message type, and without it (a file written before by_type): both load.
 */
class CalibrationByTypeTest
{
    private static TypedDemandFit.Fit typed()
    {
        final Map<String, Double> ns = new TreeMap<>(Map.of("client.ClientRequest", 310.0, "raft.AppendResponse",
            820.0, "raft.Vote", 820.0));
        final Map<String, Double> spread = new TreeMap<>(Map.of("client.ClientRequest", 12.5,
            "raft.AppendResponse", Double.NaN, "raft.Vote", Double.NaN));
        return new TypedDemandFit.Fit(900, 140, 0.25, ns, spread, List.of(List.of("raft.AppendResponse",
            "raft.Vote")), List.of("raft.RequestVote"), 3.5, 7.25, 12);
    }

    private static Calibration calibration(final TypedDemandFit.Fit byType)
    {
        final Map<String, Calibration.Role> roles = new LinkedHashMap<>();
        roles.put("leader", new Calibration.Role(2000, 50, 1200, 40, 3, 3,
            new DemandFit.Fit(800, 300, 0.2, 4, 9, 12), byType));
        roles.put("client", new Calibration.Role(1500, 20, 900, 10, 1, 3));
        final Map<String, Calibration.Target> targets = new LinkedHashMap<>();
        targets.put("raft", new Calibration.Target("raft", "raft", new TreeMap<>(), 3, roles, 5000));
        return new Calibration(Map.of("os", "test"), Map.of(), 400, targets, "x");
    }

    @Test
    void byTypeRoundTrips(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("cal.json");
        calibration(typed()).write(file);
        final Calibration.Role leader = Calibration.read(file).target("raft", Map.of()).roles().get("leader");
        final TypedDemandFit.Fit back = leader.byType();
        assertEquals(typed().toJson(), back.toJson());
        assertEquals(820.0, back.typeNs().get("raft.Vote"));
        assertEquals(List.of(List.of("raft.AppendResponse", "raft.Vote")), back.merged());
        assertEquals(List.of("raft.RequestVote"), back.rare());
        assertTrue(Double.isNaN(back.typeSpreadNs().get("raft.Vote")), "no spread stays no spread");
        assertEquals(300, leader.demand().messageNs(), "the old fields are still there");
        assertTrue(Files.readString(file).contains("\"merged_note\""));
        assertNull(Calibration.read(file).target("raft", Map.of()).roles().get("client").byType());
    }

    @Test
    void aFileWithoutByTypeLoads(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("old.json");
        calibration(null).write(file);
        assertTrue(!Files.readString(file).contains("by_type"));
        final Calibration.Role leader = Calibration.read(file).target("raft", Map.of()).roles().get("leader");
        assertNull(leader.byType());
        assertEquals(2000, leader.serviceNs());
    }
}
