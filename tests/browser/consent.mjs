// A real headless Chromium walks finhub's KFTC and MyData authorization-code
// flows the way a person does: login page, consent page, account (asset)
// choice, redirect back to the app with a code, which the "app" (this
// script) exchanges. The KFTC walk reads the pages in English
// (Accept-Language), the MyData walk in Korean, the pages' default, and once
// in English.
//
// run.sh starts finhub and writes the clients and the person to log in as;
// this script reads them from the environment:
//   FINHUB_URL      http://127.0.0.1:PORT of the running server
//   CLIENT_JSON     the kftc client's POST /sandbox/clients answer (secret included)
//   MYDATA_CLIENT_JSON  the mydata client's answer (every scope of mydata.md §5.7)
//   PERSON_JSON     one person of GET /sandbox/people, with accounts
//   CALLBACK_PORT   the port of redirect_uri; this script listens on it
//   CHROMIUM        the browser binary (default /usr/bin/chromium)

import { chromium } from 'playwright-core';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, 'artifacts');
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });

function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run tests/browser/run.sh)`);
  return v;
}

const base = env('FINHUB_URL');
const client = JSON.parse(readFileSync(env('CLIENT_JSON'), 'utf8'));
const mydata = JSON.parse(readFileSync(env('MYDATA_CLIENT_JSON'), 'utf8'));
const person = JSON.parse(readFileSync(env('PERSON_JSON'), 'utf8'));
const callbackPort = Number(env('CALLBACK_PORT'));
const redirectUri = `http://127.0.0.1:${callbackPort}/callback`;
const scope = 'login inquiry transfer';
const STEP_MS = 15_000;

function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}
function eq(actual, expected, what) {
  assert(actual === expected, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

const b64url = (buf) => buf.toString('base64url');
function pkce() {
  const verifier = b64url(randomBytes(48)); // 64 unreserved characters
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  return { verifier, challenge };
}

// The app's redirect target: records each hit and answers a small page.
const hits = [];
const waiters = [];
const callback = createServer((req, res) => {
  const url = new URL(req.url, redirectUri);
  if (url.pathname === '/callback') {
    url.referer = req.headers.referer ?? null;
    hits.push(url);
    waiters.splice(0).forEach((w) => w(url));
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end('<!DOCTYPE html><title>app callback</title><p>back in the app</p>');
});
await new Promise((ok, fail) => {
  callback.once('error', fail);
  callback.listen(callbackPort, '127.0.0.1', ok);
});
function nextHit() {
  return new Promise((ok, fail) => {
    const t = setTimeout(() => fail(new Error('no redirect to redirect_uri')), STEP_MS);
    waiters.push((u) => {
      clearTimeout(t);
      ok(u);
    });
  });
}

async function form(path, fields) {
  const r = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  eq(r.status, 200, `POST ${path} status`);
  return r.json();
}

async function kftc(method, path, token, body) {
  const r = await fetch(base + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json; charset=UTF-8' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  eq(r.status, 200, `${method} ${path} status`);
  return r.json();
}

function tranId() {
  const abc = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let tail = '';
  for (const b of randomBytes(9)) tail += abc[b % abc.length];
  return `${client.org_code}U${tail}`;
}

function kstNow14() {
  const kst = new Date(Date.now() + 9 * 3600_000).toISOString();
  return kst.slice(0, 19).replace(/[-T:]/g, '');
}

// The account the person picks on the consent page (사용자인증 registers
// it with the client): an open demand account at a bank.
const account = person.accounts.find((a) => a.bank_code_std && a.status === 'active' && a.kind === 'demand');
assert(account, `person ${person.person_id} has no open bank demand account`);
// A person types the phone number with dashes, as it is written.
const phone = person.phone.replace(/^(\d{3})(\d{3,4})(\d{4})$/, '$1-$2-$3');

function authorizeUrl(state, challenge) {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: redirectUri,
    scope,
    state,
    auth_type: '0',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return `${base}/oauth/2.0/authorize?${q}`;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    // The machine has no network but loopback: keep Chromium from dialling out.
    '--disable-quic',
    '--disable-component-update',
    '--disable-sync',
  ],
  timeout: 60_000,
});

/** A fresh browser profile reading `locale`; JavaScript off, as the pages
 *  must not need it. Console errors (a CSP violation shows up there) fail
 *  the check. */
async function newPage(problems, locale) {
  const ctx = await browser.newContext({
    javaScriptEnabled: false,
    locale,
    viewport: { width: 480, height: 800 },
  });
  ctx.setDefaultTimeout(STEP_MS);
  const page = await ctx.newPage();
  // Chromium logs each 4xx document as "Failed to load resource": the
  // wrong-password page is one on purpose. Network trouble is caught by the
  // requestfailed and response events instead.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  page.on('requestfailed', (r) => {
    if (!r.url().endsWith('/favicon.ico')) problems.push(`${r.url()}: ${r.failure()?.errorText}`);
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (u.origin === base && !u.pathname.endsWith('favicon.ico') && r.status() >= 500) {
      problems.push(`${r.status()} from ${u.pathname}`);
    }
  });
  return page;
}

/** Open authorize and log in like a person: type, then click. */
async function logIn(page, state, challenge, password, shot) {
  const resp = await page.goto(authorizeUrl(state, challenge));
  eq(resp.status(), 200, 'authorize status');
  eq(await page.title(), 'Log in', 'login page title');
  if (shot) await page.screenshot({ path: join(artifacts, shot), fullPage: true });
  await page.getByLabel('Phone number or user id').pressSequentially(phone);
  await page.getByLabel('Password').pressSequentially(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForLoadState('domcontentloaded');
}

const checks = [];
function check(name, fn, locale = 'en-US') {
  checks.push({ name, fn, locale });
}

check('allow: login, consent, account choice, code, token, user/me', async (page) => {
  const { verifier, challenge } = pkce();
  const state = b64url(randomBytes(24));
  await logIn(page, state, challenge, 'finhub', 'login.png');

  eq(await page.title(), 'Allow access?', 'consent page title');
  const main = page.locator('body');
  const text = await main.innerText();
  // The client's name is shown as text, markup and all (it is escaped).
  assert(text.includes(client.name), `client name ${client.name} not on the consent page`);
  assert(text.includes(person.name), `person name ${person.name} not on the consent page`);
  for (const [code, words] of [
    ['login', 'Know who you are'],
    ['inquiry', 'See your accounts, balances and transactions'],
    ['transfer', 'Move money from the accounts you pick'],
  ]) {
    const item = page.locator('ul.scopes li', { hasText: `(${code})` });
    eq(await item.count(), 1, `scope ${code} listed once`);
    assert((await item.innerText()).includes(words), `scope ${code} is described`);
  }
  // Every open deposit account is a labelled checkbox (사용자인증 registers
  // bank deposit accounts, not cards, loans or securities); the person keeps
  // only one.
  const boxes = page.getByRole('checkbox');
  const n = await boxes.count();
  assert(n >= 1, 'the consent page offers accounts');
  const offered = person.accounts.filter(
    (a) => a.status !== 'closed' && (a.kind === 'demand' || a.kind === 'savings'),
  );
  eq(n, offered.length, 'accounts offered');
  const last4 = account.account_num.replace(/\D/g, '').slice(-4);
  for (let i = 0; i < n; i++) {
    const box = boxes.nth(i);
    const label = await page.locator(`label[for="${await box.getAttribute('id')}"]`).innerText();
    assert(label.trim().length > 0, `checkbox ${i} has a label`);
    assert(!label.includes(account.account_num), 'full account numbers are not shown');
    if ((await box.getAttribute('value')) === account.account_id) {
      assert(label.includes(last4) && label.includes(account.product_name), `label ${label} names the account`);
      await box.check();
    } else {
      await box.uncheck();
    }
  }
  eq(await page.locator('input[type=checkbox]:checked').count(), 1, 'one account picked');
  await page.screenshot({ path: join(artifacts, 'consent.png'), fullPage: true });

  const hit = nextHit();
  await page.getByRole('button', { name: 'Allow' }).click();
  const cb = await hit;
  await page.waitForURL((u) => u.href.startsWith(redirectUri));
  eq(cb.searchParams.get('state'), state, 'state round-trips');
  eq(cb.searchParams.get('error'), null, 'no error on allow');
  // The authorization pages send no Referer on to the app (RFC 9700 §4.2.4).
  eq(cb.referer, null, 'Referer at the redirect_uri');
  const code = cb.searchParams.get('code');
  assert(code && code.length >= 20, 'a code comes back');

  const tokenFields = {
    grant_type: 'authorization_code',
    code,
    client_id: client.client_id,
    client_secret: client.client_secret,
    redirect_uri: redirectUri,
    code_verifier: verifier,
  };
  const tok = await form('/oauth/2.0/token', tokenFields);
  assert(typeof tok.access_token === 'string' && tok.access_token.length > 20, `access_token: ${JSON.stringify(tok)}`);
  eq(tok.token_type, 'Bearer', 'token_type');
  assert(Number.isInteger(tok.expires_in) && tok.expires_in > 0, `expires_in ${tok.expires_in}`);
  assert(typeof tok.refresh_token === 'string' && tok.refresh_token.length > 20, 'refresh_token');
  eq(tok.scope, scope, 'scope');
  assert(/^\d{10}$/.test(tok.user_seq_no ?? ''), `user_seq_no ${tok.user_seq_no}`);

  const me = await kftc('GET', `/v2.0/user/me?user_seq_no=${tok.user_seq_no}`, tok.access_token);
  eq(me.rsp_code, 'A0000', `user/me ${JSON.stringify(me)}`);
  eq(me.user_name, person.name, 'user/me user_name');
  // Consent registered exactly the picked account, with both services.
  eq(me.res_cnt, '1', `user/me lists the picked account: ${JSON.stringify(me)}`);
  const item = me.res_list[0];
  eq(item.bank_code_std, account.bank_code_std, 'registered account bank');
  eq(item.inquiry_agree_yn, 'Y', 'inquiry agreed');
  eq(item.transfer_agree_yn, 'Y', 'transfer agreed');
  assert(/^\d{24}$/.test(item.fintech_use_num), `fintech_use_num ${item.fintech_use_num}`);
  const bal = await kftc(
    'GET',
    `/v2.0/account/balance/fin_num?bank_tran_id=${tranId()}&fintech_use_num=${item.fintech_use_num}&tran_dtime=${kstNow14()}`,
    tok.access_token,
  );
  eq(bal.rsp_code, 'A0000', `balance with the new fintech_use_num: ${JSON.stringify(bal)}`);

  // A code is spent once.
  const again = await form('/oauth/2.0/token', tokenFields);
  eq(again.rsp_code, 'O0001', `a replayed code is refused: ${JSON.stringify(again)}`);
});

check('deny: redirect with error=access_denied and state', async (page) => {
  const { challenge } = pkce();
  const state = b64url(randomBytes(24));
  await logIn(page, state, challenge, 'finhub');
  eq(await page.title(), 'Allow access?', 'consent page title');
  const hit = nextHit();
  await page.getByRole('button', { name: 'Deny' }).click();
  const cb = await hit;
  eq(cb.searchParams.get('error'), 'access_denied', 'error');
  eq(cb.searchParams.get('state'), state, 'state round-trips');
  eq(cb.searchParams.get('code'), null, 'no code on deny');
});

check('wrong password: an error on the login page, no redirect; a retry works', async (page) => {
  const { challenge } = pkce();
  const state = b64url(randomBytes(24));
  const before = hits.length;
  await logIn(page, state, challenge, 'not-the-password');
  eq(await page.title(), 'Log in', 'still the login page');
  const alert = page.getByRole('alert');
  eq((await alert.innerText()).trim(), 'The login or password is not correct.', 'error shown');
  await page.screenshot({ path: join(artifacts, 'login-error.png'), fullPage: true });
  assert(new URL(page.url()).origin === base, `stayed on finhub, at ${page.url()}`);
  // The retry form posts from .../authorize/login: its relative action must still resolve.
  // The login typed is kept; only the password is typed again.
  eq(await page.getByLabel('Phone number or user id').inputValue(), phone, 'login kept');
  eq(await page.getByLabel('Password').inputValue(), '', 'password not echoed');
  await page.getByLabel('Password').pressSequentially('finhub');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForLoadState('domcontentloaded');
  eq(await page.title(), 'Allow access?', 'the retry reaches the consent page');
  eq(hits.length, before, 'no redirect to the app happened');
});

// --- MyData (개별인증-001/002) ----------------------------------------------
// The provider is the bank of the person's demand account; a bank consent
// offers what the person holds there under the bank scopes, nothing else.
const bankOrg = account.institution_code;
const bankKinds = ['demand', 'savings', 'fund', 'loan', 'irp', 'prepaid'];
const atBank = person.accounts.filter(
  (a) => a.institution_code === bankOrg && a.status !== 'closed' && bankKinds.includes(a.kind),
);

/** An operator's x-api-tran-id: its org code, M, 14 digits. */
function mdTranId() {
  let tail = '';
  for (const b of randomBytes(14)) tail += String(b % 10);
  return `${mydata.org_code}M${tail}`;
}

function mdAuthorizeUrl(state) {
  const q = new URLSearchParams({
    org_code: bankOrg,
    response_type: 'code',
    client_id: mydata.client_id,
    redirect_uri: redirectUri,
    app_scheme: 'finhubapp://callback',
    state,
  });
  return `${base}/oauth/2.0/authorize?${q}`;
}

/** A MyData form POST: the operator's credentials and org_code, its tran id. */
async function mdForm(path, fields) {
  const tran = mdTranId();
  const r = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-api-tran-id': tran },
    body: new URLSearchParams({
      org_code: bankOrg,
      client_id: mydata.client_id,
      client_secret: mydata.client_secret,
      ...fields,
    }).toString(),
  });
  eq(r.headers.get('x-api-tran-id'), tran, `${path} echoes x-api-tran-id`);
  return { status: r.status, body: await r.json() };
}

/** Open authorize as the operator's web view does (its x-api-tran-id on the
 *  first request only), then log in. */
async function mdLogIn(page, state, tran, words) {
  await page.setExtraHTTPHeaders(tran ? { 'x-api-tran-id': tran } : {});
  const resp = await page.goto(mdAuthorizeUrl(state));
  await page.setExtraHTTPHeaders({});
  eq(resp.status(), 200, 'authorize status');
  eq(await page.title(), words.login, 'login page title');
  const list = page.locator('ul.scopes li', { hasText: '(bank.list)' });
  assert((await list.innerText()).includes(words.bankList), 'bank.list is described');
  await page.getByLabel(words.loginLabel).pressSequentially(phone);
  await page.getByLabel(words.password).pressSequentially('finhub');
  await page.getByRole('button', { name: words.login }).click();
  await page.waitForLoadState('domcontentloaded');
}

const KO = { login: '로그인', loginLabel: '휴대폰 번호 또는 사용자 ID', password: '비밀번호', bankList: '은행 계좌 목록' };
const EN = {
  login: 'Log in',
  loginLabel: 'Phone number or user id',
  password: 'Password',
  bankList: 'The list of your bank accounts',
};

check('mydata: authorize, login, consent with asset choice and end date, redirect, code exchange', async (page) => {
  const state = randomBytes(16).toString('hex');
  const tran = mdTranId();
  await mdLogIn(page, state, tran, KO);
  assert((await page.title()).endsWith(' 전송요구'), `consent page title ${await page.title()}`);
  const text = await page.locator('body').innerText();
  assert(text.includes(mydata.name), 'the operator is named, as text');
  assert(text.includes('전송할 자산'), 'the asset picker is there');
  // Only what the person holds at this bank under the bank scopes.
  const boxes = page.getByRole('checkbox');
  const n = await boxes.count();
  eq(n, atBank.length, 'assets offered');
  const offered = [];
  for (let i = 0; i < n; i++) offered.push(await boxes.nth(i).getAttribute('value'));
  eq(JSON.stringify(offered.sort()), JSON.stringify(atBank.map((a) => a.account_id).sort()), 'the assets at this bank');
  const last4 = account.account_num.replace(/\D/g, '').slice(-4);
  for (let i = 0; i < n; i++) {
    const box = boxes.nth(i);
    const label = await page.locator(`label[for="${await box.getAttribute('id')}"]`).innerText();
    assert(!label.includes(account.account_num.replace(/-/g, '')), 'full asset numbers are not shown');
    if ((await box.getAttribute('value')) === account.account_id) {
      assert(label.includes(last4) && label.includes(account.product_name), `label ${label} names the asset`);
      await box.check();
    } else {
      await box.uncheck();
    }
  }
  eq(await page.locator('input[type=checkbox]:checked').count(), 1, 'one asset picked');
  // The end date: six months on; the purpose typed.
  const ends = page.getByLabel('전송요구 종료일');
  const end = await ends.locator('option', { hasText: '6개월' }).getAttribute('value');
  assert(/^\d{8}$/.test(end ?? ''), `end date option ${end}`);
  await ends.selectOption(end);
  await page.getByLabel('전송 목적').fill('브라우저 가계부');
  await page.screenshot({ path: join(artifacts, 'mydata-consent.png'), fullPage: true });

  const hit = nextHit();
  await page.getByRole('button', { name: '동의' }).click();
  const cb = await hit;
  eq(cb.searchParams.get('error'), null, 'no error on consent');
  eq(cb.searchParams.get('state'), state, 'state round-trips');
  eq(cb.searchParams.get('api_tran_id'), tran, 'api_tran_id repeats the x-api-tran-id');
  eq(cb.referer, null, 'Referer at the redirect_uri');
  const code = cb.searchParams.get('code');
  assert(code && code.length >= 20, 'a code comes back');

  const fields = { grant_type: 'authorization_code', code, redirect_uri: redirectUri };
  const tok = await mdForm('/oauth/2.0/token', fields);
  eq(tok.status, 200, `token: ${JSON.stringify(tok.body)}`);
  eq(tok.body.token_type, 'Bearer', 'token_type');
  assert(typeof tok.body.access_token === 'string' && tok.body.access_token.length > 20, 'access_token');
  assert(typeof tok.body.refresh_token === 'string' && tok.body.refresh_token.length > 20, 'refresh_token');
  assert(Number.isInteger(tok.body.expires_in) && tok.body.expires_in > 0, `expires_in ${tok.body.expires_in}`);
  assert(Number.isInteger(tok.body.refresh_token_expires_in), 'refresh_token_expires_in is a number');
  const scopes = tok.body.scope.split(' ');
  assert(scopes[0] === 'bank.list' && scopes.includes('bank.deposit'), `scope ${tok.body.scope}`);

  // A code is spent once.
  const again = await mdForm('/oauth/2.0/token', fields);
  eq(again.status, 400, 'a replayed code is refused');
  eq(again.body.error, 'invalid_grant', 'replay error');
}, 'ko-KR');

check('mydata: the pages in English; deny returns access_denied with state and api_tran_id', async (page) => {
  const state = randomBytes(16).toString('hex');
  await mdLogIn(page, state, null, EN);
  assert((await page.title()).endsWith(': send your data'), `consent page title ${await page.title()}`);
  assert((await page.locator('body').innerText()).includes('Assets to send'), 'English picker');
  const hit = nextHit();
  await page.getByRole('button', { name: 'Deny' }).click();
  const cb = await hit;
  eq(cb.searchParams.get('error'), 'access_denied', 'error');
  eq(cb.searchParams.get('state'), state, 'state round-trips');
  const tran = cb.searchParams.get('api_tran_id') ?? '';
  assert(tran.length === 25 && tran.startsWith(bankOrg) && tran[10] === 'S', `the provider's own api_tran_id ${tran}`);
  eq(cb.searchParams.get('code'), null, 'no code on deny');
}, 'en-US');

let passed = 0;
let failed = 0;
try {
  for (const { name, fn, locale } of checks) {
    const problems = [];
    const page = await newPage(problems, locale);
    try {
      await fn(page);
      assert(problems.length === 0, `browser reported: ${problems.join(' | ')}`);
      passed++;
      console.log(`ok - ${name}`);
    } catch (e) {
      failed++;
      console.log(`not ok - ${name}\n  ${String(e?.stack ?? e).split('\n').join('\n  ')}`);
      const shot = join(artifacts, `failed-${passed + failed}.png`);
      await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
      console.log(`  page: ${page.url()}  screenshot: ${shot}`);
    } finally {
      await page.context().close();
    }
  }
} finally {
  await browser.close();
  callback.close();
}
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed === checks.length ? 0 : 1);
