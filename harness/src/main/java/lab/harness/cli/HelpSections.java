package lab.harness.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code --help} of every subcommand with its options under headings (workload, load, cluster, protocol, faults,
 * output, help), each option's value named after the option (never the Java field behind it) and its default shown.
 * Done in the help renderer, by option name, so the commands keep reading their options as they do: a new option
 * of a known name lands under its heading, any other under "Other options". Display only: the parsed options are
 * untouched.
 */
final class HelpSections
{
    /** Headings in the order shown, each with the long option names it gathers (across all commands). */
    private static final Map<String, List<String>> HEADINGS = new LinkedHashMap<>();

    static
    {
        HEADINGS.put("Workload", List.of("--workload", "--read-ratio", "--keys", "--key-distribution",
            "--zipfian-constant", "--value-size"));
        HEADINGS.put("Load", List.of("--rate", "--rates", "--poisson", "--clients", "--outstanding", "--concurrency",
            "--duration", "--warmup", "--op-timeout", "--repeat", "--seed", "--first-seed", "--seeds", "--interval",
            "--p99-bound"));
        HEADINGS.put("Cluster", List.of("--replicas", "--transport", "--processes", "--cluster", "--ready-timeout",
            "--threads", "--idle", "--mtu", "--link-delay", "--link-jitter", "--link-loss", "--link", "--cores"));
        HEADINGS.put("Protocol", List.of("--protocol", "--protocols", "--opt", "--chain-ack", "--reads",
            "--raft-reads", "--batch", "--fsync", "--quorum-mode", "--r", "--w", "--coordinator", "--hedge",
            "--tied"));
        HEADINGS.put("Faults", List.of("--fault", "--fault-kinds", "--faults-for", "--liveness", "--clock-drift-ppm",
            "--stale-reads", "--matrix", "--sim-slow"));
        HEADINGS.put("Output", List.of("--json", "--hlog", "--history", "--profile", "--profile-event", "--results",
            "--name", "--quiet", "--verbose", "--save-failures", "--output", "-o", "--out", "--measured"));
        HEADINGS.put("Help", List.of("--help", "--version"));
    }

    private static final String OTHER = "Other options";

    private HelpSections()
    {
    }

    /**
     * Gives every subcommand of {@code root} (and theirs) the grouped option list.
     */
    static void apply(final CommandLine root)
    {
        for (final CommandLine sub : root.getSubcommands().values())
        {
            sub.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST,
                HelpSections::optionList);
            // "lab run [OPTIONS]": the full synopsis would list every option again, by its Java field's name
            sub.getCommandSpec().usageMessage().abbreviateSynopsis(true);
            apply(sub);
        }
    }

    static String heading(final OptionSpec option)
    {
        for (final Map.Entry<String, List<String>> e : HEADINGS.entrySet())
        {
            for (final String name : option.names())
            {
                if (e.getValue().contains(name))
                {
                    return e.getKey();
                }
            }
        }
        return OTHER;
    }

    private static String optionList(final CommandLine.Help help)
    {
        final Map<String, List<OptionSpec>> groups = new LinkedHashMap<>();
        HEADINGS.keySet().forEach(h -> groups.put(h, new ArrayList<>()));
        groups.put(OTHER, new ArrayList<>());
        for (final OptionSpec option : help.commandSpec().options())
        {
            if (!option.hidden())
            {
                groups.get(heading(option)).add(shown(option));
            }
        }
        // "Help" goes last, after any other options
        final List<OptionSpec> helpOptions = groups.remove("Help");
        groups.put("Help", helpOptions);
        final StringBuilder sb = new StringBuilder();
        groups.forEach((heading, options) ->
        {
            if (!options.isEmpty())
            {
                final CommandLine.Help.Layout layout = help.createDefaultLayout();
                options.forEach(o -> layout.addOption(o, help.parameterLabelRenderer()));
                sb.append(sb.length() > 0 ? "\n" : "").append(heading).append(":\n").append(layout);
            }
        });
        return sb.toString();
    }

    /**
     * @return the option as help shows it: its value named after the option ("--faults-for=<faults-for>") where
     * the label would otherwise be the Java field's name, and "(default X)" where a default exists and the
     * description does not already give it.
     */
    private static OptionSpec shown(final OptionSpec option)
    {
        if (option.usageHelp() || option.versionHelp())
        {
            return option; // picocli's own, with names it fills in itself
        }
        final OptionSpec.Builder b = option.toBuilder();
        boolean changed = false;
        final Object field = option.userObject();
        if (field instanceof java.lang.reflect.Field f && java.util.Map.class.isAssignableFrom(f.getType()))
        {
            // picocli would show the Map's type parameters ("<String=String>")
            b.paramLabel("<key=value>");
            changed = true;
        }
        else if (field instanceof java.lang.reflect.Field f && option.paramLabel().equals("<" + f.getName() + ">"))
        {
            b.paramLabel("<" + option.longestName().replaceFirst("^-+", "") + ">");
            changed = true;
        }
        final String defaultValue = option.defaultValue();
        final String[] description = option.description();
        final boolean mentioned = String.join(" ", description).toLowerCase(java.util.Locale.ROOT).contains("default");
        if (defaultValue != null && !mentioned && option.arity().max() > 0)
        {
            final String[] withDefault = description.length == 0 ? new String[]{""} : description.clone();
            withDefault[withDefault.length - 1] = (withDefault[withDefault.length - 1] + " (default " +
                defaultValue.replace("%", "%%") + ")").trim();
            b.description(withDefault);
            changed = true;
        }
        return changed ? b.build() : option;
    }
}
