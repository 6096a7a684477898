// A minimal `twinbench` with only the whatif command registered, as src-main/cli/main.ts will have it,
// so the command can be tested before the lead adds its registration line.
import { Command } from "commander";
import { registerWhatifCommand } from "../../../../src-main/whatif/cli";

const program = new Command().name("twinbench").showHelpAfterError();
registerWhatifCommand(program);
program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`twinbench: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
