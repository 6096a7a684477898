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
