// A volunteer's whole path, then a coordinator's, in a real browser with
// JavaScript switched off: every step is a click or a fill on plain HTML forms.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo, launchBrowser, signIn, verificationLink, t } from './support.mjs';

const association = { slug: 'jardins-partages', name: 'Les Jardins Partagés de la Croix-Rousse' };
const mission = 'Animer un atelier compost pour les familles';
const coordinator = 'karim.benali@demo.ruche.local';
const volunteer = {
  name: 'Élise Testeuse',
  email: `elise.${Date.now()}@example.org`,
  password: 'une phrase de passe assez longue',
};

let server;
let browser;

before(async () => {
  server = await startDemo();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/// A fresh browser profile with JavaScript off, French first.
async function noScriptPage() {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
  return { context, page: await context.newPage() };
}

test('a volunteer signs up, finds a mission with the search form, applies and sees the application, all without JavaScript', async () => {
  const { context, page } = await noScriptPage();
  try {
    // The home page leads to sign-up.
    await page.goto(`${server.url}/`);
    await page.locator('header').getByRole('link', { name: t('nav.signup'), exact: true }).click();
    await page.waitForURL('**/signup');
    await assertHeading(page, t('signup.title'));

    // Sign up through the form and land on /me.
    await page.getByLabel(t('signup.display_name'), { exact: true }).fill(volunteer.name);
    await page.getByLabel(t('signup.email'), { exact: true }).fill(volunteer.email);
    await page.getByLabel(t('signup.password'), { exact: true }).fill(volunteer.password);
    await page.getByRole('button', { name: t('signup.submit'), exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/me');
    await assertVisibleText(page, t('profile.me.welcome'));
    await assertVisibleText(page, volunteer.name);

    // Follow the verification link of the (logged) mail.
    await page.goto(await verificationLink(server, volunteer.email));
    await assertVisibleText(page, t('verify.ok'));

    // Search with filters: the GET form puts them in the URL.
    await page.locator('header').getByRole('link', { name: t('nav.missions'), exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/missions');
    await page.getByLabel(t('missions.search.text'), { exact: true }).fill('compost');
    await page.getByLabel(t('missions.search.association'), { exact: true }).selectOption({ label: association.name });
    await page.getByRole('button', { name: t('missions.search.submit'), exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/missions' && u.searchParams.get('q') === 'compost');
    const query = new URL(page.url()).searchParams;
    assert.ok(query.get('association'), `the association filter is not in the URL ${page.url()}`);
    const results = page.locator('main section');
    await assertHeading(page, t('missions.search.results'), 2);
    const found = results.getByRole('link', { name: mission, exact: true });
    assert.equal(await found.count(), 1, `"${mission}" is not in the results`);
    const owners = await results.locator('.card a[href^="/a/"]').allInnerTexts();
    assert.ok(owners.length > 0 && owners.every((name) => name === association.name),
      `the association filter let through: ${owners.join(' | ')}`);

    // Open the mission, then apply.
    await found.click();
    await page.waitForURL(/\/missions\/\d+$/);
    const missionUrl = new URL(page.url());
    await assertHeading(page, mission);
    await assertVisibleText(page, association.name);
    await page.getByRole('link', { name: t('missions.show.apply'), exact: true }).click();
    await page.waitForURL(`**${missionUrl.pathname}/apply`);
    const motivation = "J'ai un composteur chez moi depuis cinq ans et j'aime expliquer.";
    await page.getByLabel(t('applications.apply.motivation'), { exact: true }).fill(motivation);
    await page.getByRole('button', { name: t('applications.apply.submit'), exact: true }).click();
    await page.waitForURL(/\/me\/applications\/\d+\?done=applied$/);
    await assertVisibleText(page, t('applications.done.applied'));
    await assertVisibleText(page, motivation);

    // The list of my applications shows it.
    await page.goto(`${server.url}/me`);
    await page.getByRole('link', { name: t('profile.me.link_applications'), exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/me/applications');
    await assertHeading(page, t('applications.mine.title'));
    const card = page.locator('main .card', { hasText: mission });
    assert.equal(await card.count(), 1, 'the application is not listed in /me/applications');
    assert.match(await card.innerText(), new RegExp(escape(t('applications.step.applied'))));

    // Sign out with the header's button (a form, no script).
    await page.getByRole('button', { name: t('nav.logout'), exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await assertVisibleTextIn(page.locator('header'), t('nav.login'));
  } finally {
    await context.close();
  }
});

test('the coordinator signs in without JavaScript and finds the new application in the pipeline', async () => {
  const { context, page } = await noScriptPage();
  try {
    await signIn(page, server.url, coordinator, server.password);
    await page.goto(`${server.url}/me`);
    await page.getByRole('link', { name: `${t('profile.me.manage')} — ${association.name}`, exact: true }).click();
    await page.waitForURL(`**/a/${association.slug}/manage`);
    await assertHeading(page, t('manage.dashboard.title'));
    await page.goto(`${server.url}/a/${association.slug}/manage/applications`);
    await assertHeading(page, t('applications.pipeline.title'));
    const row = page.locator('main tr', { hasText: volunteer.name });
    assert.equal(await row.count(), 1, `no row for ${volunteer.name} in the pipeline`);
    assert.match(await row.innerText(), new RegExp(escape(mission)));

    // Opening it shows the motivation the volunteer wrote.
    await row.getByRole('link', { name: volunteer.name, exact: true }).click();
    await page.waitForURL(new RegExp(`/a/${association.slug}/manage/applications/\\d+$`));
    await assertVisibleText(page, 'composteur');
  } finally {
    await context.close();
  }
});

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/// Checks the page's one h1 (or a given h2) and, on the way, that Ruche sent
/// the page without any script.
async function assertHeading(page, text, level = 1) {
  assert.equal(await page.locator('script').count(), 0, `${page.url()} holds a <script>`);
  const heading = page.getByRole('heading', { level });
  const texts = await heading.allInnerTexts();
  assert.ok(texts.some((h) => h.trim() === text || (level === 1 && h.includes(text))),
    `no h${level} "${text}" on ${page.url()} (found: ${texts.join(' | ')})`);
}

async function assertVisibleText(page, text) {
  await assertVisibleTextIn(page.locator('main'), text, page.url());
}

async function assertVisibleTextIn(locator, text, where = 'the page') {
  const match = locator.getByText(text, { exact: false }).first();
  assert.ok(await match.isVisible(), `"${text}" is not visible in ${where}`);
}
