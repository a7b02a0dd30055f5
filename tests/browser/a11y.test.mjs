// axe-core (WCAG 2.0 and 2.1, levels A and AA) on Ruche's main pages, in French
// and in English, as the visitor each page is meant for. A serious or critical
// violation fails the page's test and is printed with its rule, help and targets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startDemo, launchBrowser, signIn, runAxe, describeViolations, withLang, artifacts, t as text } from './support.mjs';

const slug = 'jardins-partages';
const languages = ['fr', 'en'];
const accounts = {
  volunteer: 'camille.martin@demo.ruche.local',
  coordinator: 'karim.benali@demo.ruche.local',
  admin: 'admin@demo.ruche.local',
};

let server;
let browser;

before(async () => {
  // The first-release plugins built by tests/plugins, switched on for the
  // association below, so that their pages are checked too.
  const plugins = [process.env.RUCHE_PETITIONS_PLUGIN, process.env.RUCHE_MATCHING_PLUGIN].filter(Boolean);
  assert.equal(plugins.length, 2, 'RUCHE_PETITIONS_PLUGIN and RUCHE_MATCHING_PLUGIN must name the built plugins');
  server = await startDemo({ plugins });
  for (const name of ['petitions', 'matching']) {
    execFileSync(process.env.RUCHE_BINARY, ['plugin', 'enable', name, '--org', slug, '--data', server.data]);
  }
  browser = await launchBrowser();
  if (artifacts) {
    fs.mkdirSync(artifacts, { recursive: true });
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/// A context where axe can run: JavaScript on (for axe only; Ruche sends none)
/// and the pages' CSP (script-src 'self') bypassed so the injected axe runs.
async function axePage(who) {
  const context = await browser.newContext({ javaScriptEnabled: true, bypassCSP: true, locale: 'fr-FR' });
  const page = await context.newPage();
  if (who) {
    await signIn(page, server.url, accounts[who], server.password);
  }
  return { context, page };
}

/// Fails on any violation at all, whatever its impact, each one listed.
async function assertAccessible(page, label) {
  const { blocking, other } = await runAxe(page);
  const all = [...blocking, ...other];
  assert.equal(all.length, 0, `${label}: ${all.length} axe violation(s)\n${describeViolations(all)}`);
}

/// Opens each path in each language and checks it; one subtest per page.
async function checkPages(t, page, paths, screenshots = {}) {
  for (const pagePath of paths) {
    for (const lang of languages) {
      await t.test(`${pagePath} (${lang})`, async () => {
        const response = await page.goto(`${server.url}${withLang(pagePath, lang)}`);
        assert.equal(response.status(), 200, `${pagePath} answered ${response.status()}`);
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        await assertAccessible(page, `${pagePath} (${lang})`);
        if (artifacts && screenshots[pagePath] && lang === 'fr') {
          await page.screenshot({ path: path.join(artifacts, screenshots[pagePath]), fullPage: true });
        }
      });
    }
  }
}

test('public pages pass axe in French and English', async (t) => {
  const { context, page } = await axePage(null);
  try {
    await page.goto(`${server.url}/missions`);
    const href = await page.locator('main .card h3 a').first().getAttribute('href');
    assert.match(href ?? '', /^\/missions\/\d+$/, 'no mission link on /missions');
    await checkPages(t, page, ['/', '/missions', href, '/signup', '/login', `/a/${slug}`],
      { '/missions': 'missions.png' });

    for (const lang of languages) {
      await t.test(`/signup after a failed submit (${lang})`, async () => {
        await page.goto(`${server.url}${withLang('/signup', lang)}`);
        await page.getByLabel(text('signup.email', lang), { exact: true }).fill('not an address');
        const [answer] = await Promise.all([
          page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/signup'),
          page.getByRole('button', { name: text('signup.submit', lang), exact: true }).click(),
        ]);
        assert.equal(answer.status(), 422, 'a sign-up with errors is not answered 422');
        await page.waitForLoadState();
        const summary = page.getByRole('alert');
        assert.ok(await summary.first().isVisible(), 'no error summary after a failed sign-up');
        assert.equal(await page.locator('[aria-invalid="true"]').count() >= 2, true, 'fields are not marked invalid');
        await assertAccessible(page, `/signup with errors (${lang})`);
      });
    }
  } finally {
    await context.close();
  }
});

test('the contrast theme and the easy-to-read pages pass axe in French and English', async (t) => {
  const { context, page } = await axePage(null);
  try {
    // The no-JS toggles: links that set cookies remembered on the next pages.
    await page.goto(`${server.url}/missions?contrast=on&falc=on`);
    const href = await page.locator('main .card h3 a').first().getAttribute('href');
    assert.match(href ?? '', /^\/missions\/\d+$/, 'no mission link on /missions');
    assert.equal(await page.locator('body.theme-contrast.easy-read').count(), 1, 'contrast and easy-read not on');
    await checkPages(t, page, ['/', '/missions', href, '/signup', '/login', `/a/${slug}`],
      { '/signup': 'signup-contrast-easy-read.png', [href]: 'mission-contrast-easy-read.png' });
  } finally {
    await context.close();
  }
});

test("a volunteer's easy-to-read application page passes axe in French and English", async (t) => {
  const { context, page } = await axePage('volunteer');
  try {
    await page.goto(`${server.url}/missions?falc=on`);
    const href = await page.locator('main .card h3 a').first().getAttribute('href');
    await checkPages(t, page, [`${href}/apply`]);
  } finally {
    await context.close();
  }
});

test("a volunteer's pages pass axe in French and English", async (t) => {
  const { context, page } = await axePage('volunteer');
  try {
    await checkPages(t, page, ['/me', '/me/profile', '/me/applications', '/me/calendar', '/me/notifications', '/me/tokens', '/me/delete', '/p/matching/for-you',
      '/me/summary', '/me/summary/print'],
      { '/me/profile': 'me-profile.png' });
  } finally {
    await context.close();
  }
});

test("a coordinator's pages pass axe in French and English", async (t) => {
  const { context, page } = await axePage('coordinator');
  try {
    await page.goto(`${server.url}/a/${slug}/manage/missions`);
    const edit = await page.locator('main th[scope="row"] a[href^="/missions/"]').first().getAttribute('href');
    const missionId = /\/missions\/(\d+)/.exec(edit ?? '')?.[1];
    assert.ok(missionId, 'no mission to edit on the coordinator\'s list');
    await checkPages(t, page, [`/a/${slug}/manage`, `/a/${slug}/manage/missions`, `/a/${slug}/manage/missions/new`,
      `/a/${slug}/manage/missions/${missionId}/edit`, `/a/${slug}/manage/applications`, `/a/${slug}/manage/hours`,
      `/a/${slug}/petitions/manage`, `/a/${slug}/petitions/manage/new`, `/a/${slug}/matching/pairs`,
      `/a/${slug}/matching/missions/${missionId}/invite`]);
  } finally {
    await context.close();
  }
});

/// A plugin folder with only a manifest (the pages read it, nothing loads
/// it) with one setting of each type, switched on by `ruche plugin enable`.
function addSettingsPlugin() {
  const folder = path.join(server.data, 'plugins', 'axe_probe');
  fs.mkdirSync(folder, { recursive: true });
  const texts = (fr, en) => ({ fr, en });
  const setting = (key, type, extra = {}) => ({ key, type, label: texts(`Réglage ${key}`, `Setting ${key}`),
    help: texts(`Aide de ${key}`, `Help on ${key}`), ...extra });
  fs.writeFileSync(path.join(folder, 'plugin.json'), JSON.stringify({
    name: 'axe_probe', version: '1.0.0', sdk: '>=1.0 <2',
    title: texts('Sonde axe', 'Axe probe'), description: texts('Pour axe.', 'For axe.'),
    settings: [setting('headline', 'text'), setting('notes', 'textarea'), setting('count', 'integer', { min: 1, max: 9 }),
      setting('public', 'boolean'), setting('tone', 'choice', { choices: ['calm', 'lively'] }),
      setting('api_key', 'secret'), setting('site', 'url'), setting('contact', 'email', { required: true })],
  }));
  execFileSync(process.env.RUCHE_BINARY, ['plugin', 'enable', 'axe_probe', '--data', server.data]);
}

test('the admin pages pass axe in French and English', async (t) => {
  addSettingsPlugin();
  const { context, page } = await axePage('admin');
  try {
    await checkPages(t, page, ['/admin', '/admin/federation', '/admin/associations', '/admin/associations/new',
      '/admin/templates', '/admin/templates/new', '/admin/skills', '/admin/causes', '/admin/events/dead',
      `/a/${slug}/manage/settings`, `/a/${slug}/manage/members`, `/a/${slug}/manage/webhooks`, '/admin/plugins',
      `/a/${slug}/manage/plugins`, `/a/${slug}/manage/plugins/axe_probe/settings`,
      '/admin/people', '/admin/people?q=demo', '/admin/mail', '/admin/health',
      `/a/${slug}/manage/language`, `/a/${slug}/manage/impact`, `/a/${slug}/manage/branding`],
      { '/admin/health': 'admin-health.png', [`/a/${slug}/manage/impact`]: 'association-impact.png' });
  } finally {
    await context.close();
  }
});
