package lab.harness.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkProfileTest
{
    @TempDir
    Path dir;

    @Test
    void namedProfiles()
    {
        final long[][] rack = LinkProfile.parse("rack").matrix(3, 5);
        assertEquals(20_000, rack[0][1]);
        assertEquals(20_000, rack[4][0], "a client's link to its replica");
        assertEquals(0, rack[2][2]);
        final long[][] dc = LinkProfile.parse("datacenter").matrix(5, 6);
        assertEquals(250_000, dc[3][4]);
        final long[][] regions = LinkProfile.parse("regions").matrix(3, 4);
        assertEquals(2_000_000, regions[0][1], "two regions close");
        assertEquals(30_000_000, regions[0][2], "one far");
        assertEquals(30_000_000, regions[2][1]);
        assertEquals(250_000, regions[3][0], "the client beside replica 0");
        assertEquals(2_000_000, regions[3][1]);
        assertEquals(200_000, LinkProfile.parse("200us").matrix(3, 4)[1][3]);
    }

    @Test
    void aMatrixFile() throws IOException
    {
        final Path json = dir.resolve("three.json");
        Files.writeString(json, "{\"latency_us\": [[0, 100, 5000], [100, 0, 5000], [5000, 5000, 0]], " +
            "\"local_us\": 10, \"jitter_us\": 1, \"bandwidth_gbps\": 1, \"client_near\": 1}");
        final LinkProfile p = LinkProfile.parse(json.toString());
        final long[][] m = p.matrix(3, 4);
        assertEquals(100_000, m[0][1]);
        assertEquals(5_000_000, m[1][2]);
        assertEquals(10_000, m[3][1], "client beside replica 1");
        assertEquals(100_000, m[3][0]);
        assertEquals(1e9 / 8, p.bytesPerSecond());
        final IllegalArgumentException wrongSize = assertThrows(IllegalArgumentException.class, () -> p.matrix(5, 6));
        assertTrue(wrongSize.getMessage().contains("3x3"), wrongSize.getMessage());

        final Path toml = dir.resolve("two.toml");
        Files.writeString(toml, "latency_us = [[0, 30], [30, 0]]\nbandwidth_gbps = 10\n");
        assertEquals(30_000, LinkProfile.parse(toml.toString()).matrix(2, 3)[0][1]);
    }

    @Test
    void badProfilesAreOneLineErrors() throws IOException
    {
        assertThrows(IllegalArgumentException.class, () -> LinkProfile.parse("moon"));
        final Path zero = dir.resolve("zero.json");
        Files.writeString(zero, "{\"latency_us\": 20, \"bandwidth_gbps\": 0}");
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> LinkProfile.parse(zero.toString()));
        assertTrue(ex.getMessage().contains("bandwidth"), ex.getMessage());
        final Path ragged = dir.resolve("ragged.json");
        Files.writeString(ragged, "{\"latency_us\": [[0, 1], [1]]}");
        assertThrows(IllegalArgumentException.class, () -> LinkProfile.parse(ragged.toString()));
    }

    @Test
    void bandwidthSerializesMessagesOneAfterAnother()
    {
        // 1 GB/s: a 1000-byte message takes 1 us on the wire; a second sent at once waits for the first.
        final LinkModel links = new LinkModel(new long[][]{{0, 50_000}, {50_000, 0}}, 0, 1e9, new Random(1));
        assertEquals(51_000, links.delayNs(0, 1, 1000, 0));
        assertEquals(52_000, links.delayNs(0, 1, 1000, 0));
        assertEquals(50_500, links.delayNs(1, 0, 500, 0), "each node has its own link");
        assertEquals(51_000, links.delayNs(0, 1, 1000, 10_000), "an idle link again");
    }
}
