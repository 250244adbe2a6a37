// Prints each failed or flaky test of a Playwright JSON report with the first lines of its
// error, so that the end of `./x test`'s output says why the browser tests failed.
// Usage: node failures.mjs REPORT.json
import { readFileSync } from "node:fs";

const report = JSON.parse(readFileSync(process.argv[2], "utf8"));
const plain = (s) => s.replace(/\u001b\[[0-9;]*m/g, "");
const lines = [];
function walk(suite, path) {
  const here = suite.title ? [...path, suite.title] : path;
  for (const spec of suite.specs ?? []) {
    for (const t of spec.tests ?? []) {
      if (t.status === "expected" || t.status === "skipped") continue;
      lines.push(`${t.status === "flaky" ? "FLAKY" : "FAILED"}  ${[...here, spec.title].join(" › ")}  (${spec.file}:${spec.line})`);
      for (const r of t.results ?? []) {
        for (const e of r.errors ?? []) {
          const text = plain(e.message ?? e.value ?? "").split("\n").filter((l) => l.trim()).slice(0, 8);
          lines.push(...text.map((l) => `      ${l}`));
        }
      }
    }
  }
  for (const child of suite.suites ?? []) walk(child, here);
}
for (const s of report.suites ?? []) walk(s, []);
console.log(lines.length ? lines.join("\n") : "no failed or flaky browser test");
