// The two main journeys in a real browser, once per variant (theme ×
// JavaScript on/off): a volunteer from sign-up to an application, and an
// association admin switching a plugin on and filling its settings. With
// JavaScript on, axe-core checks every step; with it off, every step is a plain
// form. Key pages are saved as screenshots (RUCHE_ARTIFACTS) for the docs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { startDemo, launchBrowser, signIn, runAxe, describeViolations, verificationLink, artifacts, t } from './support.mjs';

const slug = 'jardins-partages';
const mission = 'Animer un atelier compost pour les familles';
const associationAdmin = 'helene.garnier@demo.ruche.local';
const plugin = process.env.RUCHE_PETITIONS_PLUGIN;
const pluginTexts = plugin ? JSON.parse(fs.readFileSync(path.join(plugin, 'locales', 'fr.json'), 'utf8')) : {};

/// Every way the journeys are walked.
const variants = [
  { theme: 'default', js: false },
  { theme: 'default', js: true },
  { theme: 'contrast', js: false },
  { theme: 'contrast', js: true },
];

let server;
let browser;

before(async () => {
  assert.ok(plugin, 'RUCHE_PETITIONS_PLUGIN is not set (the built petitions plugin folder)');
  server = await startDemo({ plugins: [plugin] });
  browser = await launchBrowser();
  if (artifacts) {
    fs.mkdirSync(artifacts, { recursive: true });
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

function label(variant) {
  return `${variant.theme} theme, JavaScript ${variant.js ? 'on' : 'off'}`;
}

/// A fresh browser profile for the variant. With JavaScript on, the pages'
/// CSP is bypassed so that the injected axe-core can run (Ruche sends no script).
async function openPage(variant) {
  const context = await browser.newContext({ javaScriptEnabled: variant.js, bypassCSP: variant.js, locale: 'fr-FR' });
  const page = await context.newPage();
  if (variant.theme === 'contrast') {
    // The visitor's no-JS toggle: a link that sets a cookie for the next pages.
    await page.goto(`${server.url}/?contrast=on`);
    assert.equal(await page.locator('body.theme-contrast').count(), 1, 'the contrast theme is not on');
  }
  return { context, page };
}

/// One step of a journey: the page has one h1 holding `heading`, and with
/// JavaScript on it passes axe (no violation at all); optionally a screenshot.
async function step(page, variant, heading, shot) {
  const h1 = page.getByRole('heading', { level: 1 });
  assert.equal(await h1.count(), 1, `${page.url()} has ${await h1.count()} h1`);
  assert.ok((await h1.innerText()).includes(heading), `h1 of ${page.url()} is "${await h1.innerText()}", not "${heading}"`);
  if (variant.js) {
    const { blocking, other } = await runAxe(page);
    const all = [...blocking, ...other];
    assert.equal(all.length, 0, `${page.url()} (${label(variant)}): axe found\n${describeViolations(all)}`);
  }
  if (artifacts && shot && !variant.js) {
    await page.screenshot({ path: path.join(artifacts, `${variant.theme}-${shot}.png`), fullPage: true });
  }
}


for (const variant of variants) {
  test(`a volunteer signs up and applies to a mission (${label(variant)})`, async () => {
    const { context, page } = await openPage(variant);
    const email = `journey.${variant.theme}.${variant.js ? 'js' : 'nojs'}.${Date.now()}@example.org`;
    try {
      await page.goto(`${server.url}/`);
      await step(page, variant, '', 'home');
      await page.locator('header').getByRole('link', { name: t('nav.signup'), exact: true }).click();
      await page.waitForURL('**/signup');
      await step(page, variant, t('signup.title'), 'signup');

      // A first submit with a bad address: errors tied to their fields, nothing lost.
      await page.getByLabel(t('signup.display_name'), { exact: true }).fill('Noé Parcours');
      await page.getByLabel(t('signup.email'), { exact: true }).fill('pas une adresse');
      await page.getByLabel(t('signup.password'), { exact: true }).fill('une phrase de passe assez longue');
      await page.getByRole('button', { name: t('signup.submit'), exact: true }).click();
      await page.waitForLoadState();
      const invalid = page.getByLabel(t('signup.email'), { exact: true });
      assert.equal(await invalid.getAttribute('aria-invalid'), 'true', 'the bad e-mail field is not marked invalid');
      const describedBy = (await invalid.getAttribute('aria-describedby')) ?? '';
      assert.ok(describedBy.length > 0, 'the bad e-mail field points to no error text');
      assert.equal(await page.getByLabel(t('signup.display_name'), { exact: true }).inputValue(), 'Noé Parcours',
        'the name typed was lost after the failed submit');
      await step(page, variant, t('signup.title'), 'signup-errors');

      await invalid.fill(email);
      await page.getByLabel(t('signup.password'), { exact: true }).fill('une phrase de passe assez longue');
      await page.getByRole('button', { name: t('signup.submit'), exact: true }).click();
      await page.waitForURL((u) => u.pathname === '/me');
      await page.goto(await verificationLink(server, email));

      await page.goto(`${server.url}/missions?q=compost`);
      await step(page, variant, t('missions.search.title'), 'missions');
      await page.locator('main').getByRole('link', { name: mission, exact: true }).click();
      await page.waitForURL(/\/missions\/\d+$/);
      await step(page, variant, mission, 'mission');
      await page.getByRole('link', { name: t('missions.show.apply'), exact: true }).click();
      await page.waitForURL(/\/apply$/);
      await step(page, variant, t('applications.apply.title'), 'apply');
      await page.getByLabel(t('applications.apply.motivation'), { exact: true }).fill('Je composte depuis cinq ans.');
      await page.getByRole('button', { name: t('applications.apply.submit'), exact: true }).click();
      await page.waitForURL(/\/me\/applications\/\d+\?done=applied$/);
      await step(page, variant, '', 'applied');
      assert.ok(await page.getByRole('status').first().isVisible(), 'no status message after applying');
    } finally {
      await context.close();
    }
  });

  test(`an association admin switches a plugin on and fills its settings (${label(variant)})`, async () => {
    const { context, page } = await openPage(variant);
    try {
      await signIn(page, server.url, associationAdmin, server.password);
      await page.goto(`${server.url}/a/${slug}/manage/plugins`);
      await step(page, variant, t('plugins.association.title'), 'association-plugins');
      const title = 'Pétitions';
      await page.getByRole('button', { name: `${t('plugins.association.turn_on')} : ${title}`, exact: true }).click();
      await page.waitForLoadState();
      const row = page.locator('main tr', { hasText: title });
      assert.match(await row.innerText(), new RegExp(t('plugins.association.on')), 'the plugin is not shown as on');

      await page.getByRole('link', { name: `${t('plugins.association.settings')} : ${title}`, exact: true }).click();
      await page.waitForURL(/\/manage\/plugins\/petitions\/settings$/);
      await step(page, variant, '', 'plugin-settings');
      const hours = page.getByLabel('Validité du lien de confirmation (heures)', { exact: true });

      // Out of range: refused, the field says why, the saved value is unchanged.
      await hours.fill('0');
      await page.getByRole('button', { name: t('plugins.settings.submit'), exact: true }).click();
      await page.waitForLoadState();
      assert.equal(await hours.getAttribute('aria-invalid'), 'true', 'an out-of-range value is not marked invalid');
      assert.match((await hours.getAttribute('aria-describedby')) ?? '', /error/, 'the error is not tied to the field');
      await step(page, variant, '', null);

      await hours.fill('24');
      await page.getByRole('button', { name: t('plugins.settings.submit'), exact: true }).click();
      await page.waitForLoadState();
      assert.ok(await page.getByRole('status').getByText(t('plugins.settings.saved')).isVisible(), 'no "saved" message');
      await page.reload();
      assert.equal(await hours.inputValue(), '24', 'the setting was not kept');

      // The plugin's own page is now reachable in the association.
      await page.goto(`${server.url}/a/${slug}/petitions/manage`);
      await step(page, variant, pluginTexts['petitions.manage_title'] ?? '', 'petitions-manage');

      // Switch it off again so that the next variant starts from the same state.
      await page.goto(`${server.url}/a/${slug}/manage/plugins`);
      await page.getByRole('button', { name: `${t('plugins.association.turn_off')} : ${title}`, exact: true }).click();
      await page.waitForLoadState();
      const answer = await page.goto(`${server.url}/a/${slug}/petitions/manage`);
      assert.equal(answer.status(), 404, 'the plugin still answers once switched off');
    } finally {
      await context.close();
    }
  });
}
