package lab.harness.cli;

import org.junit.jupiter.api.Test;

/**
 * {@code lab validate-model --fit-outstanding} it cannot fit with, or {@code --rounds} below 1: one line, exit 2, before
 * any run.
 */
class ValidateModelBadInputTest
{
    private static void assertBadFit(final String fitOutstanding)
    {
        assertBadInput("--fit-outstanding", "--fit-outstanding", fitOutstanding);
    }

    private static void assertBadInput(final String fragment, final String... args)
    {
        final String[] all = new String[args.length + 2];
        all[0] = "validate-model";
        all[1] = "--skip-latency";
        System.arraycopy(args, 0, all, 2, args.length);
        LabCli.assertBadInput(fragment, all);
    }

    @Test
    void aFitNeedsTheOneByOneRunAndAnotherLoad()
    {
        assertBadFit("4,8");   // no 1 x 1 run
        assertBadFit("1");     // one load: nothing to fit a load dependence to
        assertBadFit("1,1");
        assertBadFit("1,0");
    }

    @Test
    void roundsBelowOneAreRefused()
    {
        assertBadInput("--rounds must be >= 1", "--rounds", "0");
        // The negated flag parses (the rounds error, not an unknown option, is what comes back).
        assertBadInput("--rounds must be >= 1", "--no-fit-at-saturation", "--rounds", "0");
    }
}
