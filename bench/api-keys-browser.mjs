// The API Keys page with 100,000 keys, in headless Chromium over a live circuit: from an action (the last keystroke
// of a search, a filter, a sort, a deep page) to the new rows on screen. The page's pager carries data-view, the
// view its rows answer; a MutationObserver notes the moment it changes.
// Then the server's memory per open circuit: 20 more pages on the API Keys page, and the difference in RSS and in the
// live GC heap (dotnet-gcdump, which collects fully first: what the circuits hold, not what the GC has yet to free).
// Usage: node bench/api-keys-browser.mjs <base> <email> <password> <server pid> <tries> <dotnet-gcdump path>
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";

const [base, email, password, serverPid, triesArg, gcdump] = process.argv.slice(2);
const tries = Number(triesArg ?? 20);
const debounceMs = 300;
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
// bypassCSP: Playwright's waitForFunction compiles its predicate in the page, which our CSP (rightly) forbids.
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
// Signs in as a person would: the static sign-in form sets the session cookie for every page of this context.
const signIn = await context.newPage();
await signIn.goto(`${base}/login`);
await signIn.fill("#email", email);
await signIn.fill("#password", password);
await signIn.click("[data-testid=sign-in]");
await signIn.waitForURL("**/admin/**");
await signIn.close();

async function openKeysPage(query = "") {
  const page = await context.newPage();
  await page.goto(`${base}/admin/api-keys${query}`);
  if (!page.url().includes("/admin/api-keys")) throw new Error(`not signed in: landed on ${page.url()}`);
  await page.waitForSelector("html[data-interactive=true]", { state: "attached" });
  await page.waitForSelector("[data-loaded=true]", { state: "attached" });
  return page;
}

// Runs action(page), then resolves with the ms from the start the action returns until the pager's data-view (the
// view the rows on screen answer) changes: Blazor has drawn the new rows.
async function timed(page, action) {
  await page.evaluate(() => {
    window.__done = undefined;
    const before = document.querySelector("[data-view]").getAttribute("data-view");
    const observer = new MutationObserver(() => {
      const view = document.querySelector("[data-view]")?.getAttribute("data-view");
      if (view && view !== before && window.__done === undefined) {
        window.__done = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(document.body, { attributes: true, subtree: true, childList: true, attributeFilter: ["data-view"] });
  });
  const start = await action(page);
  await page.waitForFunction(() => window.__done !== undefined, null, { timeout: 10000 });
  return (await page.evaluate(() => window.__done)) - start;
}

const now = page => page.evaluate(() => performance.now());

async function chooseOption(page, select, option) {
  await page.click(`[data-testid=${select}]`);
  const item = page.locator(".mud-popover-open").getByText(option, { exact: true });
  // Playwright waits for an element to stop moving before it clicks: let it do so (a trial click) before the clock starts.
  await item.click({ trial: true });
  const start = await now(page);
  await item.click();
  return start;
}

let turn = 0;
const scenarios = [
  ["search (from the end of the 300 ms debounce)", async page => {
    const box = page.locator("#key-search");
    await box.click();
    await page.keyboard.press("Control+A");
    await box.pressSequentially(`integration 77${turn++ % 10}`, { delay: 20 });
    // The last keystroke was just sent: the debounce starts now; report from its end.
    return (await now(page)) + debounceMs;
  }],
  ["environment filter", async page => chooseOption(page, "env-filter", (await page.textContent("[data-testid=env-filter]")) === "Live" ? "Test" : "Live")],
  ["sort", async page => chooseOption(page, "sort", (await page.textContent("[data-testid=sort]")) === "Name A–Z" ? "Recently used" : "Name A–Z")],
  ["deep page (2,000 of 4,000)", async page => {
    const start = await now(page);
    await page.evaluate(path => Blazor.navigateTo(path), `/admin/api-keys?page=${2000 + (turn++ % 2)}`);
    return start;
  }],
];

const results = [];
for (const [label, action] of scenarios) {
  const page = await openKeysPage();
  const times = [];
  for (let i = 0; i < tries + 2; i++) {
    const ms = await timed(page, action);
    if (i >= 2) times.push(ms);
  }
  times.sort((a, b) => a - b);
  const pick = q => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
  results.push(`| ${label} | ${pick(0.5).toFixed(0)} | ${pick(0.95).toFixed(0)} | ${times[times.length - 1].toFixed(0)} |`);
  await page.close();
}

function rssKiB() {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${serverPid}/status`, "utf8"))[1]);
}
function heapBytes() {
  const file = `/tmp/bench-${serverPid}-${Date.now()}.gcdump`;
  execFileSync(gcdump, ["collect", "-p", serverPid, "-o", file], { stdio: "ignore" });
  const report = execFileSync(gcdump, ["report", file]).toString();
  execFileSync("rm", ["-f", file]);
  return Number(/([\d,]+)\s+GC Heap bytes/.exec(report)[1].replaceAll(",", ""));
}
const settle = () => new Promise(resolve => setTimeout(resolve, 3000));
await settle();
const before = rssKiB();
const heapBefore = heapBytes();
const pages = [];
for (let i = 0; i < 20; i++) pages.push(await openKeysPage());
await settle();
const after = rssKiB();
const heapAfter = heapBytes();
const perCircuit = (after - before) / 20;
const heapPerCircuit = (heapAfter - heapBefore) / 20 / 1024;

console.log(`| action | median ms | p95 ms | max ms |\n|---|---|---|---|\n${results.join("\n")}`);
console.log(`\nServer memory with 20 more open circuits on the API Keys page: RSS ${(before / 1024).toFixed(0)} → ${(after / 1024).toFixed(0)} MiB, ` +
  `${(perCircuit / 1024).toFixed(2)} MiB per circuit; live GC heap ${(heapBefore / 1048576).toFixed(0)} → ` +
  `${(heapAfter / 1048576).toFixed(0)} MiB, ${heapPerCircuit.toFixed(0)} KiB per circuit.`);
await browser.close();
