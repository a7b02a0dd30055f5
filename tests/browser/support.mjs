// Shared pieces of the browser tests: the real `ruche demo` server, Debian's
// chromium driven by playwright-core, the theme's texts (so tests find labels
// and buttons the way a person reads them) and the axe-core check.
//
// Environment (set by tests/browser/CMakeLists.txt; defaults suit a manual run
// from tests/browser after `npm ci` there):
//   RUCHE_BINARY        the ruche executable (required)
//   RUCHE_NODE_MODULES  folder holding playwright-core and axe-core
//   RUCHE_CHROMIUM      chromium executable (default /usr/bin/chromium)
//   RUCHE_ARTIFACTS     folder for screenshots (default: none taken)
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const modules = process.env.RUCHE_NODE_MODULES || path.join(here, 'node_modules');
const require = createRequire(path.join(modules, 'noop.js'));

export const { chromium } = require('playwright-core');
export const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const artifacts = process.env.RUCHE_ARTIFACTS || '';

const localesDir = path.resolve(here, '../../themes/default/locales');

/// Every text of the default theme for one language, as one flat map.
function loadTexts(lang) {
  const texts = {};
  for (const file of fs.readdirSync(localesDir)) {
    if (file.endsWith(`.${lang}.json`)) {
      Object.assign(texts, JSON.parse(fs.readFileSync(path.join(localesDir, file), 'utf8')));
    }
  }
  return texts;
}
const catalogues = { fr: loadTexts('fr'), en: loadTexts('en') };

/// The theme's text for `key` in `lang`; throws on a missing key so a renamed
/// key fails loudly instead of making a test look for "undefined".
export function t(key, lang = 'fr') {
  const text = catalogues[lang][key];
  if (text === undefined) {
    throw new Error(`no text ${key} in the ${lang} catalogue`);
  }
  return text;
}

/// Starts `ruche demo` on a free loopback port in a fresh data folder and waits
/// for the line that gives its URL. Resolves to { url, password, data, stderr(), stop() }.
/// `plugins`: ready-to-load plugin folders copied into the data folder's
/// plugins/ first, the way `ruche plugin install` leaves them.
export async function startDemo({ plugins = [] } = {}) {
  const binary = process.env.RUCHE_BINARY;
  if (!binary) {
    throw new Error('RUCHE_BINARY is not set (path of the ruche executable)');
  }
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-browser-'));
  for (const folder of plugins) {
    fs.cpSync(folder, path.join(data, 'plugins', path.basename(folder)), { recursive: true });
  }
  const child = spawn(binary, ['demo', '--data', data, '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  child.stdout.setEncoding('utf8');
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', (error) => resolve({ code: error.message, signal: null }));
  });

  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ruche demo printed no URL in 90 s:\n${stdout}\n${stderr}`)), 90_000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const url = /Ruche demo is running at (http:\/\/\S+)/.exec(stdout);
      const password = /Admin password: (\S+)/.exec(stdout);
      if (url && password && stdout.includes('Stop with Ctrl+C')) {
        clearTimeout(timer);
        resolve({ url: url[1].replace(/\/$/, ''), password: password[1] });
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`ruche demo exited early (${code ?? signal}):\n${stdout}\n${stderr}`));
    });
  });

  return {
    ...ready,
    data,
    stderr: () => stderr,
    /// SIGTERM, then waits for a clean exit and removes the data folder.
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
      }
      const { code, signal } = await exited;
      fs.rmSync(data, { recursive: true, force: true });
      if (code !== 0) {
        throw new Error(`ruche demo ended with ${code ?? signal} after SIGTERM (expected 0)`);
      }
    },
  };
}

/// The first match of `pattern` in the last mail `ruche demo` logged for
/// `email` (mail is off in the demo). Mail leaves through the outbox after
/// the request: waits up to 10 s for it.
export async function linkInMail(server, email, pattern) {
  let log = server.stderr();
  for (let waited = 0; !log.includes(`would send to ${email}`) && waited < 10000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    log = server.stderr();
  }
  const at = log.lastIndexOf(`would send to ${email}`);
  if (at < 0) {
    throw new Error(`no mail to ${email} in the server log`);
  }
  const found = pattern.exec(log.slice(at));
  if (!found) {
    throw new Error(`the mail to ${email} holds no link matching ${pattern}`);
  }
  return found[0];
}

/// The verification link in the mail `ruche demo` logged for `email`.
export async function verificationLink(server, email) {
  const link = await linkInMail(server, email, /\/verify\?token=[A-Za-z0-9_-]+/);
  return `${server.url}${link}`;
}

/// Debian's chromium, headless, with the background services that would try
/// the (closed) network switched off.
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.RUCHE_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 60_000,
  });
}

/// Adds ?lang=xx (or &lang=xx) to a path.
export function withLang(pathAndQuery, lang) {
  return `${pathAndQuery}${pathAndQuery.includes('?') ? '&' : '?'}lang=${lang}`;
}

/// Signs in through the login form, the way a person does, and checks that it worked.
export async function signIn(page, url, email, password, lang = 'fr') {
  await page.goto(`${url}${withLang('/login', lang)}`);
  await page.getByLabel(t('login.email', lang), { exact: true }).fill(email);
  await page.getByLabel(t('login.password', lang), { exact: true }).fill(password);
  await Promise.all([
    page.waitForURL((u) => u.pathname !== '/login'),
    page.locator('main').getByRole('button', { name: t('login.submit', lang), exact: true }).click(),
  ]);
}

/// Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page and returns its
/// violations split into blocking (serious, critical) and the rest.
export async function runAxe(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`),
    }));
  });
  return {
    blocking: result.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
    other: result.filter((v) => v.impact !== 'serious' && v.impact !== 'critical'),
  };
}

/// One readable paragraph per violation: rule id, impact, help, failing targets.
export function describeViolations(violations) {
  return violations
    .map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n${v.targets.map((x) => `      ${x}`).join('\n')}`)
    .join('\n');
}
