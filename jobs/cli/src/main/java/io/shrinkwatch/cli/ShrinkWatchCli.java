package io.shrinkwatch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code shrinkwatch.jar}: one subcommand per tool. */
@Command(name = "shrinkwatch", mixinStandardHelpOptions = true, version = "ShrinkWatch 0.1.0-SNAPSHOT",
        description = "Retail shrink analytics: KDD'11 pattern discovery on cashier primitives and POS logs.",
        subcommands = {RunCommand.class, DemoCommand.class, SimulateCommand.class, MineCommand.class, RemineCommand.class, DetectCommand.class,
                StreamCommand.class, EvaluateCommand.class, TeiresiasCommand.class, CommandLine.HelpCommand.class})
public final class ShrinkWatchCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new ShrinkWatchCli());
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            line.getErr().println("shrinkwatch " + line.getCommandName() + ": " + message(ex));
            return 2;
        });
        return cl.execute(args);
    }

    private static String message(Throwable ex) {
        String m = ex.getMessage();
        return m == null ? ex.getClass().getSimpleName() : m;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
