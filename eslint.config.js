// Lint keeps the layers apart: the renderer never reaches Node or Electron, the main-process core never
// reaches Electron or React, workers and common code stay portable. A wrong import fails `npm run lint`.
import tseslint from "typescript-eslint";
import { builtinModules } from "node:module";

const nodeBuiltins = [...new Set(builtinModules.map((m) => m.replace(/^node:/, "")))];
const NODE = { regex: `^(node:.*|(${nodeBuiltins.map((m) => m.replace(/[/]/g, "\\/")).join("|")})(\\/.*)?)$`, message: "Node built-ins do not exist here." };
const ELECTRON = { regex: "^electron(\\/.*)?$", message: "Only the Electron shell (src-main/index.ts, src-main/electron, src-main/preload) may import electron." };
const UI = { regex: "^(react|react-dom|three|@react-three\\/.*|zustand|recharts)(\\/.*)?$", message: "UI libraries belong in src-renderer." };
const SERVER_LIBS = { regex: "^(node-opcua.*|better-sqlite3|ws|commander)(\\/.*)?$", message: "Server libraries belong in src-main (not in this layer)." };
const MAIN_INTERNALS = { regex: "(^|\\/)src-main\\/(?!common\\/)", message: "Only src-main/common is shared with this layer." };
// From src-main/common/x.ts one step up, from src-main/common/sub/x.ts two steps up, lands in src-main.
const COMMON_UP = (steps) => ({ regex: `^(\\.\\.\\/){${steps}}(?!common\\/)`, message: "src-main/common may import only itself." });
const RENDERER = { regex: "(^|\\/)src-renderer(\\/|$)", message: "Nothing outside the renderer imports it." };

const restrict = (...patterns) => ["error", { patterns: patterns.map(({ regex, message }) => ({ regex, message })) }];

export default tseslint.config(
  { ignores: ["out/**", "node_modules/**", "dist/**", "test-results/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "no-console": "off",
    },
  },
  { files: ["src-renderer/**/*.{ts,tsx}"], rules: { "no-restricted-imports": restrict(NODE, ELECTRON, SERVER_LIBS, MAIN_INTERNALS) } },
  { files: ["src-main/common/*.ts"], rules: { "no-restricted-imports": restrict(NODE, ELECTRON, UI, SERVER_LIBS, MAIN_INTERNALS, COMMON_UP(1), RENDERER) } },
  { files: ["src-main/common/*/**/*.ts"], rules: { "no-restricted-imports": restrict(NODE, ELECTRON, UI, SERVER_LIBS, MAIN_INTERNALS, COMMON_UP(2), RENDERER) } },
  { files: ["src-workers/**/*.ts"], rules: { "no-restricted-imports": restrict(ELECTRON, UI, SERVER_LIBS, MAIN_INTERNALS, RENDERER) } },
  {
    files: ["src-main/**/*.ts"],
    ignores: ["src-main/common/**", "src-main/index.ts", "src-main/electron/**", "src-main/preload/**"],
    rules: { "no-restricted-imports": restrict(ELECTRON, UI, RENDERER) },
  },
  { files: ["src-main/index.ts", "src-main/electron/**/*.ts", "src-main/preload/**/*.ts"], rules: { "no-restricted-imports": restrict(UI, RENDERER) } },
);
