// The review console, end to end, in headless Chromium: cmd/kyc's TestConsoleInBrowser
// starts `kyc serve` over TLS with profiles and a reviewer's enrolment link, then runs this
// with KYC_E2E (a JSON object: base, enrolLink, email, password, chromium, userDataDir,
// screenshots, profiles {hit, rfi, reject: {id, name}}). It prints one JSON object of what it saw
// and exits non-zero at the first step that fails.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const cfg = JSON.parse(process.env.KYC_E2E);
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const seen = { axe: {}, steps: [] };

function step(name) { seen.steps.push(name); }

function fail(msg) { throw new Error(`${seen.steps.at(-1) ?? 'start'}: ${msg}`); }

// totp is RFC 6238 (SHA-1, 6 digits, 30 s) of a base32 secret at time t (seconds).
function totp(secret, t) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(t / 30)));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1e6).padStart(6, '0');
}

// scan runs axe-core on the page (WCAG 2.0/2.1 A and AA rules) and fails on a serious or
// critical violation. The script is evaluated through the DevTools protocol, which the
// page's CSP (no script at all) does not govern.
async function scan(page, name) {
  await page.evaluate(axeSource);
  const r = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  seen.axe[name] = { violations: r.violations.map((v) => `${v.id} (${v.impact})`), passes: r.passes.length };
  if (bad.length) fail(`axe on ${name}: ${bad.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target).join(', ')}`).join('; ')}`);
}

async function expectText(page, text) {
  const body = await page.textContent('body');
  if (!body.includes(text)) fail(`the page ${page.url()} does not say "${text}"`);
}

const context = await chromium.launchPersistentContext(cfg.userDataDir, {
  executablePath: cfg.chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  ignoreHTTPSErrors: true, // the test's own self-signed certificate
  viewport: { width: 1280, height: 900 },
});
const cspErrors = [];
const page = context.pages()[0] ?? await context.newPage();
try {
  page.on('console', (m) => { if (m.type() === 'error') cspErrors.push(m.text()); });
  page.setDefaultTimeout(15000);

  step('enrol');
  await page.goto(cfg.enrolLink);
  await scan(page, 'enrol');
  const secret = (await page.textContent('#totp-secret')).trim();
  await page.getByLabel('New password').fill(cfg.password);
  await page.getByLabel('Repeat the password').fill(cfg.password);
  await page.getByLabel('Code the app shows now').fill(totp(secret, Date.now() / 1000));
  await page.getByRole('button', { name: 'Enrol' }).click();
  await page.waitForURL('**/console/signin?m=enrolled');

  step('sign in with TOTP');
  await scan(page, 'signin');
  await page.getByLabel('Email').fill(cfg.email);
  await page.getByLabel('Password').fill(cfg.password);
  // The enrolment spent this step's code: the next step's, which the server accepts as drift.
  await page.getByLabel(/Code from your authenticator app/).fill(totp(secret, Date.now() / 1000 + 30));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/console/queue');
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === '__Host-kyc_session');
  if (!session || !session.secure || !session.httpOnly || session.sameSite !== 'Strict') fail(`session cookie ${JSON.stringify(cookies.map((c) => c.name))}`);
  seen.cookie = { name: session.name, secure: session.secure, httpOnly: session.httpOnly, sameSite: session.sameSite };

  step('queue');
  await scan(page, 'queue');
  await page.screenshot({ path: `${cfg.screenshots}/console-queue.png`, fullPage: true });
  await page.getByLabel('Screening hits').selectOption('yes');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.getByRole('link', { name: cfg.profiles.hit.name }).click();

  step('a profile with a screening hit');
  await page.waitForURL(`**/console/profiles/${cfg.profiles.hit.id}`);
  await scan(page, 'profile');
  const doc = page.locator('a[target="_blank"]').first();
  if ((await doc.getAttribute('rel')) !== 'noopener noreferrer') fail('a document link lacks rel="noopener noreferrer"');
  await page.screenshot({ path: `${cfg.screenshots}/console-profile.png`, fullPage: false });

  step('resolve the hit');
  await page.getByLabel('No: a false positive').check();
  await page.getByLabel('Reason, for the record').fill('Date of birth and nationality differ from the listed party');
  await page.getByRole('button', { name: 'Resolve' }).click();
  await expectText(page, 'The screening hit is resolved.');
  await expectText(page, 'False positive, by E2E Reviewer');
  await scan(page, 'profile with a resolved hit');

  await page.goto(`${cfg.base}/console/profiles/${cfg.profiles.rfi.id}`);
  step('raise an RFI');
  await page.getByLabel('Questions, one a line').fill('What is the source of the funds you will send?\nWho is your employer?');
  await page.getByLabel('Days to answer (optional)').fill('10');
  await page.getByRole('button', { name: 'Raise RFI' }).click();
  await expectText(page, 'The request for information is sent.');
  await expectText(page, 'What is the source of the funds you will send?');
  await scan(page, 'profile with an RFI');

  step('reject with a code');
  await page.goto(`${cfg.base}/console/profiles/${cfg.profiles.reject.id}`);
  await page.getByRole('checkbox', { name: '101 Expired id' }).check();
  await page.getByLabel('May the customer resubmit?').selectOption('true');
  await page.getByLabel('Summary for the customer (optional)').fill('The passport photo is blurred');
  await page.getByRole('button', { name: 'Reject' }).click();
  await expectText(page, 'The profile is rejected.');
  await expectText(page, 'reviewer: E2E Reviewer');

  step('a POST without the CSRF token');
  const noToken = await context.request.post(`${cfg.base}/console/profiles/${cfg.profiles.rfi.id}/verify`, {
    form: { nothing: 'here' }, headers: { Origin: cfg.base }, maxRedirects: 0,
  });
  seen.csrfless = noToken.status();
  if (noToken.status() !== 403) fail(`answered ${noToken.status()}`);

  step('sign out, then replay the stolen cookie');
  const token = await page.locator('input[name="csrf"]').first().inputValue();
  const stolen = await context.cookies();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/console/signin?m=signedout');
  await context.addCookies(stolen.filter((c) => c.name === '__Host-kyc_session'));
  await page.goto(`${cfg.base}/console/queue`);
  if (!page.url().endsWith('/console/signin')) fail(`the replayed cookie opened ${page.url()}`);
  const replay = await context.request.post(`${cfg.base}/console/profiles/${cfg.profiles.rfi.id}/verify`, {
    form: { csrf: token }, headers: { Origin: cfg.base }, maxRedirects: 0,
  });
  seen.replay = replay.status();
  if (replay.status() !== 403) fail(`the replayed cookie and token were answered ${replay.status()}`);

  if (cspErrors.length) fail(`console errors (CSP?): ${cspErrors.join('; ')}`);
  seen.ok = true;
} catch (e) {
  seen.error = String(e.message ?? e);
  seen.at = page.url();
  seen.page = (await page.textContent('main').catch(() => '')).replace(/\s+/g, ' ').slice(0, 600);
  seen.consoleErrors = cspErrors;
} finally {
  await context.close();
  console.log(JSON.stringify(seen));
  process.exitCode = seen.ok ? 0 : 1;
}
