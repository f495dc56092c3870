package lab.harness.book;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A measurement table as the lab book prints it: column titles and rows of formatted cells.
 */
public record Table(String title, List<String> columns, List<List<String>> rows)
{
    public Table
    {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    public static Builder of(final String... columns)
    {
        return new Builder("", Arrays.asList(columns));
    }

    public static Builder titled(final String title, final String... columns)
    {
        return new Builder(title, Arrays.asList(columns));
    }

    /**
     * @return the table as aligned plain text, for the console.
     */
    public String text()
    {
        final int[] width = new int[columns.size()];
        for (int c = 0; c < width.length; c++)
        {
            width[c] = columns.get(c).length();
            for (final List<String> row : rows)
            {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        final StringBuilder sb = new StringBuilder();
        if (!title.isEmpty())
        {
            sb.append(title).append('\n');
        }
        line(sb, columns, width);
        rows.forEach(row -> line(sb, row, width));
        return sb.toString();
    }

    private static void line(final StringBuilder sb, final List<String> cells, final int[] width)
    {
        final StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++)
        {
            line.append("  ").append(String.format("%-" + width[c] + "s", cells.get(c)));
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    public static final class Builder
    {
        private final String title;
        private final List<String> columns;
        private final List<List<String>> rows = new ArrayList<>();

        private Builder(final String title, final List<String> columns)
        {
            this.title = title;
            this.columns = columns;
        }

        public Builder row(final Object... cells)
        {
            if (cells.length != columns.size())
            {
                throw new IllegalArgumentException("row of " + cells.length + " cells for " + columns.size() + " columns");
            }
            final List<String> row = new ArrayList<>();
            for (final Object cell : cells)
            {
                row.add(String.valueOf(cell));
            }
            rows.add(row);
            return this;
        }

        public Table build()
        {
            return new Table(title, columns, rows);
        }
    }
}
