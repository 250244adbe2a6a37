import { test, expect, hydrated, DEMO, OPS_STATE } from "./fixtures";
import type { Page } from "@playwright/test";

/**
 * P8: links to third parties' services are marked as leaving the platform. For each role — a
 * visitor, the demo enterprise's admin, the demo operator — this crawls every page reachable
 * by following the product's own links from the role's start page (one page per route: ids in
 * a path are one pattern) and fails on a link to another site without the marker: the
 * `ExternalLink` component's `data-external`, `rel="noopener noreferrer"` and the text for
 * screen readers. A link within the product that answers an error fails too.
 */

type Anchor = { href: string; rel: string; external: string | null; sr: boolean; text: string };

/** Paths not to open: downloads, files, hooks, the phone-only pages, and leaving. */
const SKIP = /^\/(api|files|support\/files|support\/ops\/files|exports|dev|hooks|wx|sign|logout|unsubscribe|pkg)(\/|$)|\.(csv|pdf|zip|json|xml|png|jpg|ofd)$/;

/** One pattern per route: a path's id segments are the same page. */
function pattern(path: string) {
  return path
    .split("/")
    .map((s) => (/^[0-9a-f]{16,}$/.test(s) || (s.length >= 8 && /\d/.test(s) && /^[A-Za-z0-9_-]+$/.test(s)) ? ":id" : s))
    .join("/");
}

async function anchors(page: Page): Promise<Anchor[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("a[href]")].map((a) => {
      const el = a as HTMLAnchorElement;
      return {
        href: el.href,
        rel: el.rel,
        external: el.getAttribute("data-external"),
        sr: el.querySelector(".sr-only") !== null,
        text: (el.textContent ?? "").trim().slice(0, 40),
      };
    }),
  );
}

/** Crawls from `start` within `area`; returns the problems and how many outside links were seen. */
async function crawl(page: Page, start: string, inArea: (path: string) => boolean, max = 120) {
  const problems: string[] = [];
  const seen = new Set<string>([pattern(start)]);
  const queue = [start];
  let outside = 0;
  let pages = 0;
  while (queue.length > 0 && pages < max) {
    const path = queue.shift()!;
    pages += 1;
    const res = await page.goto(path);
    if ((res?.status() ?? 500) >= 400) {
      problems.push(`${path}: answered ${res?.status()}`);
      continue;
    }
    await hydrated(page);
    await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
    const here = new URL(page.url());
    for (const a of await anchors(page)) {
      const url = new URL(a.href);
      if (url.protocol !== "http:" && url.protocol !== "https:") continue;
      if (url.origin !== here.origin) {
        outside += 1;
        const rel = a.rel.split(/\s+/);
        if (a.external !== "true" || !rel.includes("noopener") || !rel.includes("noreferrer") || !a.sr) {
          problems.push(`${path}: "${a.text}" → ${a.href} is not marked as leaving the platform`);
        }
        continue;
      }
      const next = url.pathname;
      if (SKIP.test(next) || !inArea(next)) continue;
      const key = pattern(next);
      if (!seen.has(key)) {
        seen.add(key);
        queue.push(next);
      }
    }
  }
  return { problems, outside, pages };
}

test.describe("P8: links that leave the platform are marked, on every page each role reaches", () => {
  test.describe.configure({ timeout: 300_000 });

  test("a visitor's pages", async ({ page }) => {
    const r = await crawl(page, "/", (p) => !p.startsWith("/portal") && !p.startsWith("/ops"));
    expect(r.problems).toEqual([]);
    expect(r.pages).toBeGreaterThan(5);
  });

  test("the enterprise admin's pages", async ({ page }) => {
    const res = await page.request.post("/api/login", {
      headers: { accept: "application/json" },
      form: { login: DEMO.adminMobile, password: DEMO.adminPassword },
    });
    expect(res.status(), await res.text()).toBeLessThan(400);
    const r = await crawl(page, "/portal", (p) => p.startsWith("/portal"));
    expect(r.problems).toEqual([]);
    expect(r.pages).toBeGreaterThanOrEqual(15);
    // The privacy centre's complaint routes (authorities' sites) leave the platform.
    expect(r.outside).toBeGreaterThan(0);
  });

  test.describe("the operator's", () => {
    test.use({ storageState: OPS_STATE });
    test("pages", async ({ page }) => {
      const r = await crawl(page, "/ops", (p) => p.startsWith("/ops") && p !== "/ops/login");
      expect(r.problems).toEqual([]);
      expect(r.pages).toBeGreaterThanOrEqual(15);
      });
  });
});
