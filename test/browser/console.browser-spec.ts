/**
 * The web console as its users meet it, in a real browser against the single-process system: an officer
 * signs in, submits a seeded household, watches the providers answer, reads the report (per-capita income
 * and conclusion as the API states them) and downloads the PDF; a reviewer signs it; an auditor finds the
 * verification's provider queries in the log. An expired session returns to the login with the form kept;
 * API field errors land next to their fields. Screenshots of the main pages go to docs/screenshots/.
 */
import { mkdirSync, readFileSync } from 'fs';
import { join } from 'path';
import type { BrowserContext, Page } from 'playwright-core';
import { zh } from '../../apps/console/src/i18n/messages';
import { launchChromium } from './chromium';
import { ROOT, startHub, type RunningHub } from './hub';

jest.setTimeout(300_000);

const SHOTS = process.env.VERIHUB_SCREENSHOT_DIR ?? join(ROOT, 'docs', 'screenshots');
const PASSWORD = 'verihub-demo';

let hub: RunningHub;
let context: BrowserContext;
let closeBrowser: () => Promise<void>;
let household: Record<string, unknown>;
let verificationId = '';
let officerPage: Page | undefined;
const pageErrors: string[] = [];

/** ¥1,234.56 from fen — written out here, independently of the console's own formatter. */
function yuanText(fen: number): string {
  const whole = Math.floor(Math.abs(fen) / 100).toLocaleString('en-US');
  return `${fen < 0 ? '−' : ''}¥${whole}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
}

const tokens = new Map<string, string>();

async function apiAs<T>(username: string, path: string, accept = 'application/json'): Promise<{ status: number; body: T; raw: Buffer }> {
  if (!tokens.has(username)) {
    const login = await fetch(`${hub.url}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
    tokens.set(username, ((await login.json()) as { accessToken: string }).accessToken);
  }
  const accessToken = tokens.get(username)!;
  const res = await fetch(`${hub.url}/api/v1${path}`, { headers: { authorization: `Bearer ${accessToken}`, accept } });
  const raw = Buffer.from(await res.arrayBuffer());
  return { status: res.status, raw, body: (accept.includes('json') ? JSON.parse(raw.toString('utf8')) : undefined) as T };
}

async function newPage(): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  return page;
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(`${hub.url}/`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(PASSWORD);
  await page.getByRole('button', { name: zh['login.submit'] }).click();
  await page.getByTestId('current-user').waitFor();
}

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(300); // let antd's transitions settle
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

async function importHousehold(page: Page, request: unknown): Promise<void> {
  await page.getByTestId('import-json').click();
  await page.getByTestId('import-text').fill(JSON.stringify(request));
  await page.locator('#import-ok').click();
  await page.getByTestId('import-text').waitFor({ state: 'hidden' });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  hub = await startHub();
  ({ context, close: closeBrowser } = await launchChromium());
  household = hub.households().find((h) => h.program === 'dibao' && (h.members as unknown[]).length >= 2)!;
  expect(household).toBeDefined();
});

afterAll(async () => {
  await closeBrowser?.();
  await hub?.stop();
});

describe('the web console', () => {
  it('is served at / by the single-process hub, and the login page is in Chinese first', async () => {
    const page = await newPage();
    await page.goto(`${hub.url}/`);
    await page.getByRole('button', { name: zh['login.submit'] }).waitFor();
    await shot(page, '01-login');
    await page.locator('#username').fill('officer');
    await page.locator('#password').fill('wrong-password');
    await page.getByRole('button', { name: zh['login.submit'] }).click();
    await expect(page.getByTestId('login-error').textContent()).resolves.toContain(zh['login.failed']);
    await page.close();
  });

  it('an officer checks the identity number as it is typed and submits a seeded household', async () => {
    const page = await newPage();
    await signIn(page, 'officer');
    await page.getByRole('link', { name: zh['nav.newVerification'] }).click();
    const id = page.getByTestId('member-0-id');
    await id.fill('110105194912310021'); // the check character must be X
    await page.getByTestId('member-0').getByText('校验码应为 X，不是 1').waitFor();
    await id.fill('11010519491231002X');
    await expect(page.getByTestId('id-info-0').textContent()).resolves.toMatch(/出生 1949-12-31 · \d+ 岁 · 女/);

    await importHousehold(page, household);
    await shot(page, '03-new-verification');
    await page.getByTestId('submit-verification').click();
    await page.waitForURL(/\/verifications\/[0-9a-f-]{36}$/);
    verificationId = page.url().split('/').pop()!;
    await page.getByTestId('verification-header').waitFor();
    await shot(page, '04-progress');

    await page.getByTestId('report-conclusion').waitFor({ timeout: 60_000 });
    await page.close();
  });

  it('the report page shows the per-capita income and conclusion the API reports, and the records behind a figure', async () => {
    const api = await apiAs<{ conclusion: string; income: { monthlyPerCapita: number; sources: unknown[] }; reportNumber: string; policy: { version: number } }>(
      'officer',
      `/verifications/${verificationId}/report`,
    );
    expect(api.status).toBe(200);
    const page = await newPage();
    await signIn(page, 'officer');
    await page.goto(`${hub.url}/verifications/${verificationId}`);
    await page.getByTestId('report-conclusion').waitFor();
    await expect(page.getByTestId('per-capita').textContent()).resolves.toContain(yuanText(api.body.income.monthlyPerCapita));
    await expect(page.getByTestId('report-conclusion').locator('[data-conclusion]').getAttribute('data-conclusion')).resolves.toBe(api.body.conclusion);
    await expect(page.getByTestId('report-conclusion').textContent()).resolves.toBe(zh[`conclusion.${api.body.conclusion}` as keyof typeof zh]);
    await expect(page.getByTestId('report-number').textContent()).resolves.toBe(api.body.reportNumber);
    await expect(page.getByTestId('policy-version').textContent()).resolves.toContain(`第 ${api.body.policy.version} 版`);
    await shot(page, '05-report');

    await page.getByTestId('income-chart').scrollIntoViewIfNeeded();
    await page.mouse.wheel(0, -120);
    await shot(page, '06-report-income');
    // The wage figure opens the records it is computed from (income.sources).
    await page.getByTestId('income-wage').getByRole('button').click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText(zh['report.sum']).waitFor();

    await page.keyboard.press('Escape');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-pdf').click()]);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(download.suggestedFilename()).toBe(`${api.body.reportNumber}-v1.pdf`);
    await page.close();
  });

  it('a reviewer finds the report in the queue and signs it', async () => {
    const page = await newPage();
    await signIn(page, 'reviewer');
    await page.waitForURL(/\/reviews$/);
    const row = page.locator(`a[href="/verifications/${verificationId}"]`);
    await row.waitFor();
    await shot(page, '07-review-queue');
    await row.click();
    await page.getByTestId('sign-report').click();
    await page.getByTestId('sign-comment').fill('已核对，材料齐全。');
    await page.locator('#confirm-sign').click();
    await expect(page.getByTestId('review-state')).toBeDefined();
    await page.getByTestId('review-state').getByText('reviewer', { exact: false }).waitFor();
    const api = await apiAs<{ review: { signedBy: string; comment: string } | null }>('officer', `/verifications/${verificationId}/report`);
    expect(api.body.review).toMatchObject({ signedBy: 'reviewer', comment: '已核对，材料齐全。' });
    await page.close();
  });

  it('an auditor finds the queries of that verification in the log, with the chain intact', async () => {
    const page = await newPage();
    await signIn(page, 'auditor');
    await page.waitForURL(/\/audit\/log$/);
    await page.getByTestId('chain-status').waitFor();
    await expect(page.getByTestId('chain-status').getAttribute('class')).resolves.toContain('success');
    await page.getByTestId('filter-verification').fill(verificationId);
    await page.getByTestId('audit-search').click();
    const queries = page.locator('[data-testid=audit-entries] tbody tr').filter({ has: page.locator('[data-action=provider_query_sent]') });
    await queries.first().waitFor();
    // one query per provider the hub asks: public security, tax, housing, provident fund, two banks
    await expect(queries.count()).resolves.toBe(6);
    const rows = page.locator('[data-testid=audit-entries] tbody tr');
    const verifications = await rows.locator('[data-verification]').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-verification')))]);
    expect(verifications).toEqual([verificationId]);
    await shot(page, '08-audit-log');
    await page.getByRole('link', { name: zh['nav.anomalies'] }).click();
    await page.getByTestId('anomalies').waitFor();
    await shot(page, '09-anomalies');
    await page.close();
  });

  it('an administrator sees users and roles, policies and the providers’ health', async () => {
    const page = await newPage();
    await signIn(page, 'admin');
    await page.getByTestId('users').getByText('reviewer').first().waitFor();
    await shot(page, '10-admin-users');
    await page.getByRole('link', { name: zh['nav.policies'] }).click();
    await page.getByTestId('policies').getByText('v1').first().waitFor();
    await shot(page, '11-admin-policies');
    await page.getByTestId('policies').getByRole('button', { name: zh['policies.newVersion'] }).first().click();
    await page.getByTestId('save-policy').waitFor();
    await shot(page, '12-admin-policy-form');
    await page.keyboard.press('Escape');
    await page.getByRole('link', { name: zh['nav.providers'] }).click();
    await page.getByTestId('providers').getByText('bank:ICBC').waitFor();
    await shot(page, '13-admin-providers');
    await page.close();
  });

  it('lists verifications with their conclusion, and switches to English', async () => {
    const page = await newPage();
    await signIn(page, 'officer');
    await page.locator(`a[href="/verifications/${verificationId}"]`).waitFor();
    await shot(page, '02-verifications');
    await page.getByTestId('language-switch').click();
    await page.getByRole('link', { name: 'New verification' }).waitFor();
    await page.getByTestId('language-switch').click();
    await page.getByRole('link', { name: zh['nav.newVerification'] }).waitFor();
    officerPage = page; // the next test goes on in this session: the gateway allows 10 sign-ins a minute per address
  });

  it('shows the API’s field errors next to their fields, and keeps the form through an expired session', async () => {
    const page = officerPage ?? (await newPage());
    if (!officerPage) await signIn(page, 'officer');
    await page.getByRole('link', { name: zh['nav.newVerification'] }).click();
    const other = hub.households().filter((h) => h.program === 'dibao')[5];
    const auths = (other.authorizations as Record<string, string>[]).map((a, i) => (i === 0 ? { ...a, signedAt: '2030-01-01T09:00:00+08:00' } : a));
    await importHousehold(page, { ...other, authorizations: auths });
    await page.getByTestId('submit-verification').click();
    const signedAtError = page.getByTestId('member-0').getByText('must be before now', { exact: false });
    await signedAtError.waitFor();
    expect(page.url()).toMatch(/\/verifications\/new$/);

    // Correct the form, then let the session expire (the server refuses the token) before submitting.
    await importHousehold(page, other);
    // (a string: the test's own tsconfig has no DOM types)
    await page.evaluate(`(() => {
      const session = JSON.parse(sessionStorage.getItem('verihub.session'));
      sessionStorage.setItem('verihub.session', JSON.stringify({ ...session, accessToken: 'expired.token.value' }));
    })()`);
    await page.reload();
    await page.getByTestId('submit-verification').click();
    await page.waitForURL(/\/login\?expired=1$/);
    await page.getByText(zh['login.expired']).waitFor();
    await page.locator('#username').fill('officer');
    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: zh['login.submit'] }).click();
    await page.waitForURL(/\/verifications\/new$/);
    await page.getByText(zh['form.draftRestored']).waitFor();
    const members = other.members as { idNumber: string; name: string }[];
    await expect(page.getByTestId('member-0-id').inputValue()).resolves.toBe(members[0].idNumber);
    await page.getByTestId('submit-verification').click();
    await page.waitForURL(/\/verifications\/[0-9a-f-]{36}$/);
    await page.close();
  });

  it('showed no script error on any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
