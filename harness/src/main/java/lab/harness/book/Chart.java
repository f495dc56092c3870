package lab.harness.book;

import java.util.List;

/**
 * A line chart of an experiment: series of (x, y) points; a predicted series is drawn dashed and labelled as one.
 *
 * @param title  what it shows.
 * @param xTitle the x axis, with its unit.
 * @param yTitle the y axis, with its unit.
 * @param series the lines.
 */
public record Chart(String title, String xTitle, String yTitle, List<Series> series)
{
    public Chart
    {
        series = List.copyOf(series);
    }

    /**
     * @param label     the line's name.
     * @param points    (x, y) pairs in x order.
     * @param predicted true for a prediction (a simulation), false for a measurement.
     */
    public record Series(String label, List<double[]> points, boolean predicted)
    {
        public Series
        {
            points = List.copyOf(points);
        }
    }
}
