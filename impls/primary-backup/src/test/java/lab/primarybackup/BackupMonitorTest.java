package lab.primarybackup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import lab.core.ClientSessions;
import lab.core.HopDepth;
import lab.core.Outbox;
import lab.core.ProtocolSettings;
import lab.core.WireCheck;
import lab.primarybackup.codec.HeartbeatDecoder;
import lab.primarybackup.codec.MessageHeaderDecoder;
import lab.primarybackup.codec.ReplicateDecoder;
import lab.primarybackup.codec.SnapshotChunkDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A primary's upkeep of its backups (replica 0 of 3, majority views; defaults: heartbeat 5 ms, backup timeout
 * 100 ms, retransmit 20 ms).
 */
class BackupMonitorTest
{
    private static final long MS = 1_000_000L;
    private static final long VIEW = 1;

    private final PrimaryBackupConfig config = new PrimaryBackupConfig(new ProtocolSettings(3, 1, 1, Map.of()));
    private final Backups backups = new Backups(0, 3);
    private final PrimaryBackupPublisher publisher = new PrimaryBackupPublisher(0, 3);
    private final EntryRing ring = new EntryRing(8);
    private final WriteLog log = new WriteLog(ring, publisher);
    private final BackupFeed feed = new BackupFeed(0, backups, ring,
        new PrimaryBackupStateTransfer(0, 3, log.sessions(), publisher, new WireCheck("test"), 10 * MS));
    private final BackupMonitor monitor = new BackupMonitor(0, config, backups, feed,
        new MajorityViews(0, 3, config, null, null, backups), publisher, new HopDepth());

    /** "to:template" of every message sent. */
    private final List<String> sent = new ArrayList<>();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final Outbox out = (to, buffer, offset, length) ->
        sent.add(to + ":" + header.wrap(new UnsafeBuffer(buffer, offset, length), 0).templateId());

    private static String to(final int node, final int templateId)
    {
        return node + ":" + templateId;
    }

    @Test
    void heartbeatsGoToEveryBackupOncePerInterval()
    {
        backups.bootstrap();
        monitor.startClock(1000 * MS);
        assertFalse(monitor.onTick(VIEW, 0, 0, 1000 * MS, out));
        assertEquals(List.of(to(1, HeartbeatDecoder.TEMPLATE_ID), to(2, HeartbeatDecoder.TEMPLATE_ID)), sent);
        sent.clear();
        monitor.onTick(VIEW, 0, 0, 1004 * MS, out);
        assertEquals(List.of(), sent, "not due yet");
        monitor.onTick(VIEW, 0, 0, 1005 * MS, out);
        assertEquals(2, sent.size());
    }

    @Test
    void aSilentBackupLeavesTheInSyncSetButNeverBelowAMajority()
    {
        backups.bootstrap();
        monitor.startClock(0);
        assertTrue(monitor.onAck(1, 0, 0, false, false, VIEW, 0, 0, 150 * MS, out));
        assertTrue(monitor.onTick(VIEW, 0, 0, 150 * MS, out), "backup 2 silent for 150 ms: dropped");
        assertFalse(backups.of(2).inSync);
        assertTrue(backups.of(1).inSync);
        assertFalse(monitor.onTick(VIEW, 0, 0, 300 * MS, out), "backup 1 is silent too, but is the majority's");
        assertTrue(backups.of(1).inSync);
    }

    @Test
    void anAckMovesTheMatchIndexEitherWayAndACaughtUpBackupIsReadmitted()
    {
        backups.bootstrap();
        monitor.startClock(0);
        backups.of(1).inSync = false;
        assertTrue(monitor.onAck(1, 3, 0, false, false, VIEW, 3, 2, MS, out));
        assertEquals(3, backups.of(1).matchIndex);
        assertEquals(MS, backups.of(1).progressAtNs);
        assertTrue(monitor.onAck(1, 1, 0, false, false, VIEW, 3, 2, 2 * MS, out));
        assertEquals(1, backups.of(1).matchIndex, "it restarted: believed");
        assertEquals(MS, backups.of(1).progressAtNs, "no progress");
        monitor.readmitIfCaughtUp(1, 2);
        assertFalse(backups.of(1).inSync, "behind the commit point");
        monitor.onAck(1, 2, 0, false, false, VIEW, 3, 2, 3 * MS, out);
        monitor.readmitIfCaughtUp(1, 2);
        assertTrue(backups.of(1).inSync);
    }

    @Test
    void aBackupThatNeedsTheStateIsSentASnapshotOnceAndGetsEntriesAfterItsAck()
    {
        log.bootstrap();
        log.propose(ClientSessions.sessionId(1, 0), 1, VIEW, 0, 5, new UnsafeBuffer(new byte[8]), 0, 8);
        backups.bootstrap();
        monitor.startClock(0);
        assertFalse(monitor.onAck(1, 0, 0, true, false, VIEW, 1, 0, MS, out));
        assertTrue(backups.of(1).snapshotting);
        assertFalse(backups.of(1).inSync);
        assertEquals(List.of(to(1, SnapshotChunkDecoder.TEMPLATE_ID)), sent);
        sent.clear();
        assertFalse(monitor.onAck(1, 0, 0, true, false, VIEW, 1, 0, MS, out));
        assertEquals(List.of(), sent, "one under way already");

        assertTrue(monitor.onAck(1, 0, 0, false, false, VIEW, 1, 0, 2 * MS, out), "it holds the snapshot's index");
        assertFalse(backups.of(1).snapshotting);
        assertEquals(List.of(to(1, ReplicateDecoder.TEMPLATE_ID)), sent, "the entry past the snapshot follows");
    }

    @Test
    void aQuietBackupIsSentWhatItMissesAfterTheRetransmitInterval()
    {
        log.bootstrap();
        for (int i = 1; i <= 3; i++)
        {
            log.propose(ClientSessions.sessionId(1, i), 1, VIEW, 0, i, new UnsafeBuffer(new byte[8]), 0, 8);
        }
        backups.bootstrap();
        monitor.startClock(0);
        backups.of(1).matchIndex = 1;
        backups.of(2).matchIndex = 3;
        monitor.onTick(VIEW, 3, 1, 20 * MS, out);
        assertFalse(sent.contains(to(1, ReplicateDecoder.TEMPLATE_ID)), "quiet for the interval, not past it");
        sent.clear();
        monitor.onTick(VIEW, 3, 1, 21 * MS, out);
        assertEquals(List.of(to(1, ReplicateDecoder.TEMPLATE_ID), to(1, ReplicateDecoder.TEMPLATE_ID)),
            sent.stream().filter(s -> s.endsWith(":" + ReplicateDecoder.TEMPLATE_ID)).toList(), "entries 2 and 3");
        assertEquals(21 * MS, backups.of(1).progressAtNs);
    }
}
