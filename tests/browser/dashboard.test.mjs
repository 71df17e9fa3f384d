// The dashboard in a real browser: Debian's headless Chromium driven by playwright-core,
// against `tally serve` on the demo ledger (a fresh one in a temporary folder).
//
// Run by scripts/browser-test.sh (which .ci/run calls): TALLY_BIN names the binary,
// SCREENSHOTS the folder for the screenshots of every page at 1280×800 and 390×844.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const tally = process.env.TALLY_BIN || "target/debug/tally";
const shots = process.env.SCREENSHOTS || join(tmpdir(), "tally-screenshots");
const work = mkdtempSync(join(tmpdir(), "tally-browser-"));
const db = join(work, "demo.db");
const MARKER = "window.__tally_xss";

let server, base, browser, token;

function cli(args, input) {
  return execFileSync(tally, ["--db", db, ...args], {
    encoding: "utf8",
    input,
    stdio: ["pipe", "pipe", "pipe"],
  });
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  cli(["demo", "--ledger", db]);
  // A source whose words are markup: it must be shown as text and never run.
  const hostile = join(work, "hostile.csv");
  writeFileSync(
    hostile,
    "date,locality,state,event,size_low,size_high,size_text,attribution,publisher,url\n" +
      `2025-06-14,Bangor,ME,"No Kings <img src=x onerror=""${MARKER}=1""><script>${MARKER}=2</script>",900,900,about 900,media,"<b>Paper</b>",https://example.org/bangor\n`
  );
  cli(["ingest", hostile]);
  token = cli(["token", "create", "--role", "reviewer", "--name", "browser-test"]).trim();
  server = spawn(tally, ["--db", db, "serve", "--addr", "127.0.0.1:0"], { stdio: ["ignore", "ignore", "pipe"] });
  base = await new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error("serve did not start: " + seen)), 30000);
    server.stderr.on("data", (chunk) => {
      seen += chunk;
      const m = seen.match(/listening on (http:\/\/[0-9.:]+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.on("exit", (code) => reject(new Error("serve exited " + code + ": " + seen)));
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill("SIGTERM");
});

async function page(width = 1280, height = 800) {
  const context = await browser.newContext({ viewport: { width, height } });
  const p = await context.newPage();
  p.errors = [];
  p.on("pageerror", (e) => p.errors.push(String(e)));
  p.on("console", (m) => {
    if (m.type() === "error") p.errors.push(m.text());
  });
  return p;
}

async function screenshots(path, name) {
  for (const [w, h, tag] of [[1280, 800, "desktop"], [390, 844, "phone"]]) {
    const p = await page(w, h);
    await p.goto(base + path);
    await p.waitForLoadState("networkidle");
    await p.screenshot({ path: join(shots, `${name}-${tag}.png`), fullPage: false });
    await p.context().close();
  }
}

test("the day page draws one circle per located event and the national range", async () => {
  const p = await page();
  await p.goto(base + "/?date=2025-06-14");
  await p.waitForSelector("#map svg circle.event");
  const located = await p.$eval("#events-data", (n) => JSON.parse(n.textContent).length);
  const circles = await p.$$eval("#map svg circle.event", (n) => n.length);
  assert.ok(located > 100, `located events: ${located}`);
  assert.equal(circles, located);
  const national = await p.textContent("#national-range");
  assert.match(national, /Reported: [\d,]+ – [\d,]+ people/);
  const coverage = await p.textContent("#coverage");
  assert.match(coverage, /have a reported size/);
  assert.deepEqual(p.errors, []);
  await p.context().close();
  await screenshots("/?date=2025-06-14", "day");
});

test("selecting the largest circle opens its event page with its sources", async () => {
  const p = await page();
  await p.goto(base + "/?date=2025-06-14");
  await p.waitForSelector("#map svg circle.event");
  // The largest circles (two gatherings may share the largest figure and the spot).
  const top = await p.$$eval("#map svg circle.event", (nodes) => {
    const high = Math.max(...nodes.map((n) => Number(n.dataset.high)));
    return nodes.filter((n) => Number(n.dataset.high) === high).map((n) => n.dataset.id);
  });
  // The last drawn of them is the one on top, which a reader's click reaches.
  await p.click(`#map svg circle[data-id="${top[top.length - 1]}"]`);
  await p.waitForURL(/\/events\//);
  const opened = p.url().split("/events/")[1];
  assert.ok(top.includes(opened), `${opened} is not one of ${top}`);
  const reports = await p.$$eval("article.report", (n) => n.length);
  assert.ok(reports >= 1);
  assert.match(await p.textContent("#event-range"), /Reported range/);
  assert.ok((await p.$$eval("pre.verbatim", (n) => n.length)) === reports);
  await p.context().close();
  await screenshots("/events/" + opened, "event");
});

test("the claim checker gives the same verdict as tally check", async () => {
  const claim = "The White House said more than 250,000 people attended the parade";
  const expected = JSON.parse(cli(["check", claim, "--date", "2025-06-14", "--json"])).verdict;
  const p = await page();
  await p.goto(base + "/check");
  await p.fill("#claim", claim);
  await p.fill("input[name=date]", "2025-06-14");
  await p.click("form.ask button[type=submit]");
  await p.waitForSelector("#verdict");
  assert.equal(await p.getAttribute("#verdict", "data-verdict"), expected);
  await p.context().close();
  await screenshots(
    "/check?date=2025-06-14&claim=" + encodeURIComponent(claim),
    "check"
  );
  await screenshots("/compare?date=2025-06-14&a=No+Kings&b=military+parade", "compare");
});

test("markup from a source or a submission is shown as text and never runs", async () => {
  const p = await page();
  await p.goto(base + "/?date=2025-06-14&state=ME");
  await p.locator("#largest tr", { hasText: "Bangor" }).locator("a").first().click();
  await p.waitForURL(/\/events\//);
  const words = await p.$$eval("main", (n) => n[0].textContent);
  assert.ok(words.includes("<img src=x onerror="), "the markup is shown as text");
  assert.equal(await p.evaluate("window.__tally_xss"), undefined);
  assert.equal(await p.$$eval("main img, main script", (n) => n.length), 0);
  await p.context().close();
});

test("a submission made on /submit is accepted on /review and changes the totals", async () => {
  const p = await page();
  await p.goto(base + "/?date=2025-06-14");
  const before = await p.textContent("#national-range");
  await p.goto(base + "/submit");
  await p.fill("input[name=date]", "2025-06-14");
  await p.fill("input[name=place]", "Augusta, ME");
  await p.fill("input[name=title]", `Capitol rally <script>${MARKER}=3</script>`);
  await p.fill("input[name=size_low]", "4321");
  await p.fill("input[name=url]", "https://example.org/augusta");
  await p.fill("textarea[name=note]", `<img src=x onerror="${MARKER}=4">`);
  await p.click("#submit-form button[type=submit]");
  await p.waitForFunction(() => document.getElementById("submit-result").dataset.id);
  const id = await p.getAttribute("#submit-result", "data-id");
  await screenshots("/submit", "submit");

  await p.goto(base + "/review");
  await p.fill("input[name=token]", token);
  await p.click("#token-form button[type=submit]");
  await p.waitForSelector(`.queue-item[data-id="${id}"]`);
  await p.screenshot({ path: join(shots, "review-desktop.png") });
  assert.equal(await p.evaluate("window.__tally_xss"), undefined);
  await p.click(`.queue-item[data-id="${id}"] button.accept`);
  await p.waitForSelector(`.queue-item[data-id="${id}"][data-status="accepted"]`);

  await p.goto(base + "/?date=2025-06-14");
  const after = await p.textContent("#national-range");
  assert.notEqual(after, before);
  assert.equal(await p.evaluate("window.__tally_xss"), undefined);
  await p.context().close();
});
