/**
 * The built workbench (headless, embedded demo) opened in Chromium, for the e2e suites: one page, its
 * console errors collected, and a clean stop (Ctrl-C must end the workbench with exit code 0).
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "./browser";
import { startWorkbench, type RunningWorkbench } from "./cli-process";
import { tempFolder } from "./temp";

export interface WorkbenchPage {
  wb: RunningWorkbench;
  browser: Browser;
  page: Page;
  /** Uncaught page errors and console errors, in order. */
  pageErrors: string[];
  /** Closes the browser, stops the workbench with Ctrl-C and returns its exit code. */
  close(): Promise<number | null>;
}

export async function openWorkbenchPage(name: string): Promise<WorkbenchPage> {
  const temp = tempFolder(`e2e-${name}`);
  const wb = await startWorkbench(["--data", join(temp.path, "data")], { built: true });
  const chrome = await launchChromium();
  const page = await chrome.browser.newPage({ viewport: { width: 1440, height: 900 } });
  const pageErrors: string[] = [];
  page.on("pageerror", (err) => pageErrors.push(err.message));
  page.on("console", (msg) => {
    if (msg.type() === "error") pageErrors.push(msg.text());
  });
  await page.goto(wb.url.href);
  await logInOnPage(page);
  return {
    wb,
    browser: chrome.browser,
    page,
    pageErrors,
    async close() {
      await chrome.close();
      const code = await wb.interrupt();
      temp.remove();
      return code;
    },
  };
}

/** The administrator the e2e suites create on their fresh data folder (first-run page). */
export const E2E_ADMIN = { username: "admin", password: "e2e admin password 1" } as const;

/**
 * Passes the login page: on a first run it creates the administrator, otherwise it logs in with `user`.
 * Resolves when the workbench has loaded (the title shows who is logged in).
 */
export async function logInOnPage(page: Page, user: { username: string; password: string } = E2E_ADMIN): Promise<void> {
  const form = page.locator("[data-testid=setup-form], [data-testid=login-form]");
  await form.waitFor({ timeout: 30_000 });
  await page.fill("[data-testid=login-username]", user.username);
  await page.fill("[data-testid=login-password]", user.password);
  if ((await form.getAttribute("data-testid")) === "setup-form") await page.fill("[data-testid=login-confirm]", user.password);
  await page.click("[data-testid=login-submit]");
  await page.locator(`[data-testid=user-name]`).waitFor({ timeout: 30_000 });
}

/** Brings a tab of the workspace dock to the front (e.g. "What-if"). */
export async function openDockPanel(page: Page, title: string): Promise<void> {
  await page.locator(".dv-tab", { hasText: title }).first().click();
}

/** Saves a screenshot to test-results/, and to assets/screenshots/ for the README when TWINBENCH_UPDATE_SCREENSHOTS=1. */
export async function saveScreenshot(page: Page, file: string): Promise<void> {
  mkdirSync("test-results", { recursive: true });
  const out = join("test-results", file);
  await page.screenshot({ path: out });
  if (process.env.TWINBENCH_UPDATE_SCREENSHOTS === "1") {
    mkdirSync(join("assets", "screenshots"), { recursive: true });
    copyFileSync(out, join("assets", "screenshots", file));
  }
}
