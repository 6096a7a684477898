// A twinbench CLI with only the commissioning commands, for tests until src-main/cli/main.ts registers them.
import { Command } from "commander";
import { SceneError } from "../../../../src-main/common/scene/parse";
import { installSignalHandlers, shutdown } from "../../../../src-main/cli/shutdown";
import { registerCommissioningCommands } from "../../../../src-main/commissioning/cli";

const program = new Command().name("twinbench").showHelpAfterError();
registerCommissioningCommands(program);
installSignalHandlers();
program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof SceneError ? err.message : `twinbench: ${err instanceof Error ? err.message : String(err)}`);
  void shutdown(1);
});
