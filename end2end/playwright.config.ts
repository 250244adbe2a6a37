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

// The main server delivers for real: e-mail over SMTP to MailDev (an SMTP server from npm,
// whose API the tests read), texts to the SMS simulator (`server sms-simulator`, Alibaba
// Cloud's SendSms with its signature check). The clock server keeps the development mailbox.
const smtpPort = port + 25;
const mailWebPort = port + 80;
const smsPort = port + 30;
const smsFlags = [
  "--sms-access-key-id e2e-key",
  "--sms-access-key-secret e2e-secret",
  "--sms-sign-name 综合服务平台",
  "--sms-template notice=SMS_E2E_1,notice.en=SMS_E2E_2,code=SMS_E2E_3,code.en=SMS_E2E_4,promotion=SMS_E2E_5,request_code=SMS_E2E_6,signing_link=SMS_E2E_7,agreement_changed=SMS_E2E_8",
].join(" ");
const deliveryFlags = [
  `--smtp-host 127.0.0.1 --smtp-port ${smtpPort} --smtp-security none`,
  `--mail-from "综合服务平台 <noreply@platform.test>" --public-origin ${baseURL}`,
  `${smsFlags} --sms-endpoint http://127.0.0.1:${smsPort}/ --sms-reply-token e2e-reply`,
].join(" ");

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Two workers everywhere (Playwright's default here would be one, on two cores): a developer's
  // run interleaves the tests as CI's does, so a test that depends on another's timing fails
  // here first.
  workers: 2,
  // `./x test` also asks for a JSON report, to print each failure's error after its summary.
  reporter: process.env.E2E_REPORT ? [["list"], ["json", { outputFile: process.env.E2E_REPORT }]] : [["list"]],
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
      testIgnore: [/.*\.setup\.ts/, /budget\.spec\.ts/],
      use: { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 } },
    },
    // The first load's weight and time (issue 14 §3), last and one at a time: a time measured
    // while another test loads the machine would measure the machine.
    {
      name: "budget",
      dependencies: ["desktop"],
      testMatch: /budget\.spec\.ts/,
      fullyParallel: false,
      use: { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 } },
    },
  ],
  webServer: [
    {
      command: `exec node_modules/.bin/maildev --smtp ${smtpPort} --web ${mailWebPort} --ip 127.0.0.1 --silent`,
      url: `http://127.0.0.1:${mailWebPort}/email`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: `exec "${server}" ${smsFlags} sms-simulator --listen 127.0.0.1:${smsPort} --reply-url ${baseURL}/hooks/sms/aliyun/e2e-reply`,
      url: `http://127.0.0.1:${smsPort}/_sim/messages`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: `"${server}" --listen 127.0.0.1:${port} --data-dir "${dataDir}" --site-root "${path.join(targetDir, "site")}" --login-attempts-per-ip 10000 --wechat-tickets-per-minute 10000 --payout-interval-ms 300 --payout-settle-ms 1500 --delivery-interval-ms 300 ${deliveryFlags}`,
      url: `${baseURL}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      // Fresh every run: the tests move its clock, so earlier runs' dates would not fit.
      command: `rm -rf "${clockDataDir}" && exec "${server}" --listen 127.0.0.1:${clockPort} --data-dir "${clockDataDir}" --site-root "${path.join(targetDir, "site")}" --login-attempts-per-ip 10000 --payout-interval-ms 0 --dev-clock --wechat-ticket-seconds 15 --wechat-tickets-per-minute 10000`,
      url: `${clockURL}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
});
