import * as http from "node:http";
import { Browser, BrowserContext, Page } from "@playwright/test";
import { test, expect, hydrated, login, DEMO } from "./fixtures";

/**
 * Issue 14 §3: the first load's weight and time. The routes are split by area (`app::routes`,
 * `cargo leptos build --split`): a page downloads the shell's WASM and its own area's chunks.
 *
 * Each page's budget is what the split reaches today (measured 2026-12-01) plus about 4 %, so
 * that a change that pulls an area back into the shell, or grows an area, fails here. The issue's
 * goals (200 KB gzip for the public pages, 400 KB for the first portal page) are not met: the
 * README ("First load") gives the figures and what the shell still holds.
 */
const KB = 1024;
/**
 * Measured: / 463 KB, /login 578, /register 738, /privacy 571, /portal 1,140 (issue 15 added
 * the WeChat QR code to /login and the binding card to the portal: +57 and +78 KB), the phone's
 * scan page 7 KB (HTML and CSS only). Issue 16 added the privacy requests to the portal area:
 * /portal 1,351 KB (+166). Splitting them into an area of their own brought /portal to 1,232 KB
 * but moved shared code into the shell: /login grew past its budget and the home page's
 * hydration on the 4G-like link past 1.5 s (1,521 ms median against 1,412), so they stay in
 * the portal area. Issue 17 (measured 2026-12-02): nine areas had grown to 28 chunks on the home
 * page (18 under 2 KB) and a CI run measured its hydration at 1,550 ms; six areas (the funds and
 * invoice pages in the portal's, the operators' login in the console's, the phone's page in the
 * other public pages') make it 13 chunks and 0.96 s, at the cost of the first portal page
 * (1,755 KB: it now holds the money pages) and /privacy (614 KB: the scan page's code).
 * Issue 18 (the task pages, in the portal's area): /portal 1,836 KB; with completion records,
 * the worker register and signing, 2,023 KB (in an area of their own 1,813 KB, but the home page
 * then needed 26 WASM files instead of 13 and hydrated 0.1-0.2 s later). Issue 18 §3 (customer
 * service, in the portal's area for the same reason): 2,120 KB. Issue 19 (the sharing log page,
 * external links, the agreement's marks): 2,183 KB; with the console's register, disclosures and
 * transfers (their words in the shared message tables) and the API keys page: 2,267 KB.
 */
const BUDGET: Record<string, number> = {
  "/": 480 * KB,
  "/login": 600 * KB,
  "/register": 765 * KB,
  "/privacy": 640 * KB,
  "/portal": 2310 * KB,
  "/wx/scan": 200 * KB,
};

/** The bytes of `url` as the server sends it to a client that accepts gzip only. */
function gzipBytes(url: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { "accept-encoding": "gzip", cookie } }, (res) => {
      let n = 0;
      res.on("data", (chunk: Buffer) => (n += chunk.length));
      res.on("end", () => (res.statusCode === 200 ? resolve(n) : reject(new Error(`${url}: ${res.statusCode}`))));
    });
    req.on("error", reject);
  });
}

/**
 * Opens `path` in `page` (a fresh context: nothing cached), waits until it is hydrated, and
 * returns the files it downloaded (the document, and everything under /pkg/) with their gzip
 * sizes.
 */
async function firstLoad(context: BrowserContext, page: Page, path: string, hydrates = true) {
  await page.goto(path);
  if (hydrates) await hydrated(page);
  else await page.waitForLoadState("load");
  const urls: string[] = await page.evaluate(() => [
    location.href,
    ...performance.getEntriesByType("resource").map((e) => e.name).filter((u) => new URL(u).pathname.startsWith("/pkg/")),
  ]);
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const files = await Promise.all([...new Set(urls)].map(async (u) => ({ url: u, bytes: await gzipBytes(u, cookie) })));
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  return { files, total };
}

/** A page that fails the test on a console error, as the `page` fixture does. */
async function guardedPage(context: BrowserContext) {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (msg) => { if (msg.type() === "error") problems.push(msg.text()); });
  page.on("pageerror", (err) => problems.push(err.message));
  return { page, problems };
}

/**
 * The chunks only the given areas use (from the split manifest): a page outside those areas
 * must not load any of them, whether it is the area's own file or a chunk it shares with
 * another of the given areas.
 */
async function chunksOnlyFor(baseURL: string, areas: string[]): Promise<Set<string>> {
  const manifest: Record<string, string[]> = await (await fetch(`${baseURL}/pkg/__wasm_split_manifest.json`)).json();
  // Keys are `<area>_<hash>` (`ops_…` is not `ops_entry_…`).
  const area = (key: string) => areas.some((a) => new RegExp(`^${a}_\\d+$`).test(key));
  const elsewhere = new Set(Object.entries(manifest).filter(([k]) => !area(k)).flatMap(([, cs]) => cs));
  const only = Object.entries(manifest).filter(([k]) => area(k)).flatMap(([, cs]) => cs).filter((c) => !elsewhere.has(c));
  expect(only.length, "the manifest names the areas' chunks").toBeGreaterThan(0);
  return new Set(only);
}

/** The chunk name (`chunk_7`, `split_ops_…`) of a loaded `/pkg/` file. */
const chunkOf = (url: string) => new URL(url).pathname.replace(/^\/pkg\//, "").replace(/(\.[A-Za-z0-9_-]{22})?\.wasm$/, "");

function report(path: string, load: { files: { url: string; bytes: number }[]; total: number }) {
  const wasm = load.files.filter((f) => f.url.endsWith(".wasm"));
  console.log(`${path}: ${(load.total / KB).toFixed(0)} KB gzip in ${load.files.length} files (${wasm.length} WASM)`);
}

for (const path of ["/", "/login", "/register", "/privacy"]) {
  test(`issue 14 §3: the public page ${path} downloads at most ${BUDGET[path] / KB} KB gzip on its first load`, async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL });
    const { page, problems } = await guardedPage(context);
    const load = await firstLoad(context, page, path);
    report(path, load);
    // No chunk that only the portal, its funds pages or the console use is part of it.
    const foreign = await chunksOnlyFor(baseURL!, ["portal", "ops"]);
    expect(load.files.map((f) => chunkOf(f.url)).filter((c) => foreign.has(c))).toEqual([]);
    expect(load.total).toBeLessThanOrEqual(BUDGET[path]);
    expect(problems).toEqual([]);
    await context.close();
  });
}

test(`issue 15: the phone's scan page downloads at most ${BUDGET["/wx/scan"] / KB} KB gzip: HTML and CSS, no WASM`, async ({ browser, baseURL, request }) => {
  // A real ticket's page, in a 375 px browser that is not WeChat's (WeChat's would be sent
  // into the authorisation first): the same page and files. It is sent without the WASM
  // client (`app::SERVER_RENDERED_ONLY`): its forms and links work without scripts.
  const t = await (await request.post("/api/start_wechat_scan", { headers: { accept: "application/json" }, form: { purpose: "login", lang: "zh-CN" } })).json();
  const context = await browser.newContext({ baseURL, viewport: { width: 375, height: 812 } });
  const { page, problems } = await guardedPage(context);
  const path = new URL(t.scan_url).pathname;
  const load = await firstLoad(context, page, path, false);
  report("/wx/scan/…", load);
  expect(load.files.filter((f) => /\.(wasm|js)$/.test(new URL(f.url).pathname))).toEqual([]);
  expect(load.total).toBeLessThanOrEqual(BUDGET["/wx/scan"]);
  expect(problems).toEqual([]);
  await context.close();
});

test(`issue 14 §3: the first portal page downloads at most ${BUDGET["/portal"] / KB} KB gzip, without the console`, async ({ page, browser, baseURL }) => {
  const context = page.context();
  await login(page, DEMO.adminEmail, DEMO.adminPassword);
  await expect(page).toHaveURL(/\/portal/);
  // The portal is opened in a fresh context (nothing cached) that carries the session.
  const cookies = await context.cookies();
  const fresh = await browser.newContext({ baseURL });
  await fresh.addCookies(cookies);
  const { page: portal, problems } = await guardedPage(fresh);
  const load = await firstLoad(fresh, portal, "/portal");
  report("/portal", load);
  expect(load.files.some((f) => /split_portal_/.test(f.url))).toBe(true);
  // Neither the console's chunks nor those only the funds pages use.
  const foreign = await chunksOnlyFor(baseURL!, ["ops"]);
  expect(load.files.map((f) => chunkOf(f.url)).filter((c) => foreign.has(c))).toEqual([]);
  expect(load.total).toBeLessThanOrEqual(BUDGET["/portal"]);
  expect(problems).toEqual([]);
  await fresh.close();
});

/**
 * A 4G-like link (Chromium's network emulation): 9 Mbit/s down, 1.5 Mbit/s up, 150 ms round
 * trip, nothing cached. Time to hydrated is from the start of navigation to the moment the
 * client marks `#app` hydrated; the test takes the median of three fresh loads, since one load
 * on a busy 2-core machine varies by a few hundred milliseconds. The test server speaks HTTP/1.1
 * (six connections, each request paying the round trip); behind the TLS proxy of a deployment,
 * HTTP/2 fetches the chunks over one connection.
 */
async function hydratedOn4G(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ baseURL });
  const { page, problems } = await guardedPage(context);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 150,
    downloadThroughput: 9_000_000 / 8,
    uploadThroughput: 1_500_000 / 8,
  });
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.getElementById("app")?.getAttribute("data-hydrated") === "true") {
        (window as unknown as { __hydratedAt: number }).__hydratedAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-hydrated"] });
  });
  await page.goto("/");
  await hydrated(page);
  const ms = await page.evaluate(() => (window as unknown as { __hydratedAt: number }).__hydratedAt);
  expect(problems).toEqual([]);
  await context.close();
  return ms;
}

test("issue 14 §3: the home page is hydrated within 1.5 s on a 4G-like link", async ({ browser, baseURL }) => {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) times.push(await hydratedOn4G(browser, baseURL));
  times.sort((x, y) => x - y);
  console.log(`/ on 4G-like: hydrated after ${times.map((t) => t.toFixed(0)).join(", ")} ms (median ${times[1].toFixed(0)})`);
  expect(times[1]).toBeLessThan(1500);
});
