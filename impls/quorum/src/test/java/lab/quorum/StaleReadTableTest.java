package lab.quorum;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaleReadTableTest
{
    @Test
    void shouldShowStaleReadsOnlyWhereReadAndWriteQuorumsNeedNotOverlap()
    {
        final List<StaleReadTable.Row> rows = StaleReadTable.measure("async");
        final String table = StaleReadTable.format(rows, "async");
        System.out.print(table);
        for (final StaleReadTable.Row row : rows)
        {
            if (row.r() + row.w() > 3)
            {
                assertEquals(0, row.staleReads(), table);
            }
            assertTrue(row.reads() > 1000, table);
        }
        assertTrue(rows.get(0).staleReads() > 0, "R = W = 1 must show stale reads\n" + table);
    }
}
