package lab.harness.book;

import java.util.List;
import java.util.Map;

/**
 * One page of the lab book: the claim, where it comes from, the setup, the theory, what was measured and the verdict.
 *
 * @param name     the experiment's name ({@code bin/lab experiment run NAME}).
 * @param topic    the course-notes topic the claim comes from.
 * @param claim    the claim, in the lab's words.
 * @param setup    every setting that shaped the runs.
 * @param theory   what the theory (or a calibrated prediction, marked as such) says the measurement should show.
 * @param tables   the measurement, medians with their spread over repeats.
 * @param charts   the measurement (and predictions, dashed) drawn.
 * @param finding  the verdict and the rule that gave it.
 * @param commands commands that reproduce single points of the table.
 * @param notes    what a reader should know to trust or doubt the figures (machine load, cores, caveats).
 * @param seconds  wall-clock time the experiment took.
 */
public record ExperimentReport(String name, String topic, String claim, Map<String, String> setup, String theory,
    List<Table> tables, List<Chart> charts, Finding finding, List<String> commands, List<String> notes, double seconds)
{
    public ExperimentReport
    {
        setup = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(setup));
        tables = List.copyOf(tables);
        charts = List.copyOf(charts);
        commands = List.copyOf(commands);
        notes = List.copyOf(notes);
    }

    /**
     * @return the page as plain text, for the console.
     */
    public String text()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("== ").append(name).append(" (").append(topic).append(")\n");
        sb.append("claim:   ").append(claim).append('\n');
        sb.append("theory:  ").append(theory).append('\n');
        tables.forEach(t -> sb.append(t.text()));
        notes.forEach(n -> sb.append("note:    ").append(n).append('\n'));
        sb.append("verdict: ").append(finding.verdict().label().toUpperCase(java.util.Locale.ROOT)).append(": ")
            .append(finding.why()).append('\n');
        return sb.toString();
    }
}
