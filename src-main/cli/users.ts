/**
 * `twinbench users list|reset-password --data DIR`: account recovery for whoever has the machine's files.
 * A forgotten administrator password must not lock a plant out of its own workbench, and file access is
 * already full access to governance.db; the reset is audited like any other (actor `system:setup`).
 * The new password is read from standard input (one line), never from the command line (it would be in the
 * shell history and the process list).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { AuditLog } from "../governance/audit-log";
import { systemClock } from "../governance/clock";
import { GOVERNANCE_DB_FILE, openGovernanceDb } from "../governance/db";
import { UserDirectory } from "../governance/users";
import { system } from "../governance/actor";
import { dataFolder } from "./data-folder";

function openDirectory(data: string | undefined): { users: UserDirectory; close(): void } | string {
  const folder = join(dataFolder(data), "governance");
  if (!existsSync(join(folder, GOVERNANCE_DB_FILE))) return `no accounts yet: ${join(folder, GOVERNANCE_DB_FILE)} does not exist (start the workbench once)`;
  const db = openGovernanceDb(folder);
  return { users: new UserDirectory(db, new AuditLog(db, systemClock), systemClock), close: () => db.close() };
}

async function readLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
}

export async function resetPasswordCommand(o: { data?: string; username: string }): Promise<number> {
  const opened = openDirectory(o.data);
  if (typeof opened === "string") {
    console.error(`twinbench users reset-password: ${opened}`);
    return 2;
  }
  try {
    const user = opened.users.byUsername(o.username);
    if (!user) {
      console.error(`twinbench users reset-password: no user "${o.username}"; users: ${opened.users.list().map((u) => u.username).join(", ")}`);
      return 1;
    }
    if (process.stdin.isTTY) process.stderr.write(`New password for ${o.username} (input is shown; pipe it to hide it): `);
    const password = await readLine();
    await opened.users.resetPassword(system("setup"), user.id, password);
    console.log(`password of ${o.username} reset (audited as system:setup)`);
    return 0;
  } catch (err) {
    console.error(`twinbench users reset-password: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    opened.close();
  }
}

export function listUsersCommand(o: { data?: string }): number {
  const opened = openDirectory(o.data);
  if (typeof opened === "string") {
    console.error(`twinbench users list: ${opened}`);
    return 2;
  }
  try {
    for (const u of opened.users.list()) console.log(`${u.username}\t${u.role}${u.disabled ? "\tdisabled" : ""}\t${u.displayName}`);
    return 0;
  } finally {
    opened.close();
  }
}

export function registerUsersCommand(program: Command): void {
  const users = program.command("users").description("List accounts or reset a password from the machine's data folder (account recovery).");
  users
    .command("list")
    .description("List the accounts of this installation.")
    .option("--data <dir>", "data folder (default: $TWINBENCH_HOME or ~/.local/share/twinbench)")
    .action((o: { data?: string }) => {
      process.exitCode = listUsersCommand(o);
    });
  users
    .command("reset-password")
    .description("Set a new password for a user; the password is read from standard input. Audited.")
    .requiredOption("--username <name>", "the account")
    .option("--data <dir>", "data folder (default: $TWINBENCH_HOME or ~/.local/share/twinbench)")
    .action(async (o: { data?: string; username: string }) => {
      process.exitCode = await resetPasswordCommand(o);
    });
}
