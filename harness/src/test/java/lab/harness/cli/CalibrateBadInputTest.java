package lab.harness.cli;

import org.junit.jupiter.api.Test;

/**
 * {@code lab calibrate} with counts it cannot run: one line, exit 2, before any run.
 */
class CalibrateBadInputTest
{
    private static void assertBadInput(final String fragment, final String... args)
    {
        final String[] all = new String[args.length + 1];
        all[0] = "calibrate";
        System.arraycopy(args, 0, all, 1, args.length);
        LabCli.assertBadInput(fragment, all);
    }

    @Test
    void countsBelowOneAreRefused()
    {
        assertBadInput("--saturation-clients must be >= 1", "--saturation-clients", "0");
        assertBadInput("--repeat must be >= 1", "--repeat", "0");
        assertBadInput("--loaded-outstanding must be >= 1", "--loaded-outstanding", "0");
    }

    @Test
    void mixReadRatiosOutsideZeroToOneAreRefused()
    {
        assertBadInput("--mix-read-ratios must be between 0 and 1", "--mix-read-ratios", "0,1.5");
        assertBadInput("--mix-read-ratios: 'half' is not a number", "--mix-read-ratios", "half");
    }
}
