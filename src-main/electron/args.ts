/** Arguments the CLI passes to the Electron main process (`--scene`, `--endpoint`, `--data`). */
export interface ShellArgs {
  scene?: string;
  endpoint?: string;
  data?: string;
  speedup?: string;
}

export function parseShellArgs(argv: readonly string[]): ShellArgs {
  const out: ShellArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    const value = argv[i + 1];
    if ((key === "--scene" || key === "--endpoint" || key === "--data" || key === "--speedup") && value !== undefined) {
      out[key.slice(2) as keyof ShellArgs] = value;
      i++;
    }
  }
  return out;
}
