import { defineConfig, devices } from "@playwright/test";
import * as os from "node:os";
import * as path from "node:path";

// The built server (by `cargo leptos build --release`) runs on its own port with a fresh
// SQLite data directory, so a developer's running instance is never touched.
const port = Number(process.env.E2E_PORT ?? 3100);
const root = path.resolve(__dirname, "..");
const targetDir = path.join(root, "target");
const server = path.join(targetDir, "debug", "server");
// `./x test` gives a fresh directory and removes it afterwards; run by hand, a fixed one is
// reused (the demo data is seeded once).
const dataDir = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), "platform-e2e");
// A second server whose clock the dated tests move forward (`--dev-clock`, development only),
// with its own data, so moving time never touches the other tests' sessions.
const clockPort = port + 1;
const clockDataDir = process.env.E2E_CLOCK_DATA_DIR ?? path.join(os.tmpdir(), "platform-e2e-clock");

export const baseURL = `http://127.0.0.1:${port}`;
const clockURL = `http://127.0.0.1:${clockPort}`;

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: process.env.CI ? 2 : undefined,
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    // Logs the demo operator in once (password + TOTP) for the console tests.
    { name: "setup", testMatch: /.*\.setup\.ts/ },
    {
      name: "desktop",
      dependencies: ["setup"],
      testIgnore: /.*\.setup\.ts/,
      use: { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 } },
    },
  ],
  webServer: [
    {
      command: `"${server}" --listen 127.0.0.1:${port} --data-dir "${dataDir}" --site-root "${path.join(targetDir, "site")}" --login-attempts-per-ip 10000 --payout-interval-ms 300 --payout-settle-ms 1500`,
      url: `${baseURL}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      // Fresh every run: the tests move its clock, so earlier runs' dates would not fit.
      command: `rm -rf "${clockDataDir}" && exec "${server}" --listen 127.0.0.1:${clockPort} --data-dir "${clockDataDir}" --site-root "${path.join(targetDir, "site")}" --login-attempts-per-ip 10000 --payout-interval-ms 0 --dev-clock`,
      url: `${clockURL}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
});
