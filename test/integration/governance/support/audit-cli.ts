// A tiny `twinbench` with only the audit command, for tests: `node --import tsx audit-cli.ts audit verify --db FILE`.
import { Command } from "commander";
import { registerAuditCommand } from "../../../../src-main/cli/audit";

const program = new Command().name("twinbench");
registerAuditCommand(program);
await program.parseAsync(process.argv);
