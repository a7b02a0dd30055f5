// The petitions plugin in a real browser: the proof-of-work solved by pow.js
// (same-origin script, no inline script), the embeddable form inside another
// site's frame (no cookie of ours there), the form without JavaScript told to
// wait with its values kept, and axe-core on the public and embedded pages,
// the form sent back with errors and the pages of unknown mailed links; and,
// without JavaScript from start to end, a signature made in the frame,
// confirmed and withdrawn through the links of its mail.
// The plugin is the one built for the kernel tests (RUCHE_PETITIONS_PLUGIN),
// switched on for one demo association through its SQLite database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { startDemo, launchBrowser, signIn, runAxe, describeViolations, linkInMail } from './support.mjs';

const slug = 'jardins-partages';
const petition = `/a/${slug}/petitions/1`;
// Another association, without the proof-of-work: a form without JavaScript signs at once there.
const plainSlug = 'lire-ecrire-ensemble';
const plainPetition = `/a/${plainSlug}/petitions/2`;
let server;
let browser;
let host;
let hostUrl;

/// Runs SQL on the demo's database (the server is running: wait for locks);
/// its output is only what the statements print.
function sql(statements) {
  return execFileSync(process.env.RUCHE_SQLITE3 || 'sqlite3',
    ['-cmd', '.timeout 5000', path.join(server.data, 'ruche.db'), statements], { encoding: 'utf8' });
}

function signatures() {
  return Number(sql('SELECT COUNT(*) FROM petitions_signatures;').trim());
}

before(async () => {
  server = await startDemo({ plugins: [process.env.RUCHE_PETITIONS_PLUGIN] });
  browser = await launchBrowser();
  const now = Math.floor(Date.now() / 1000);
  const association = `(SELECT id FROM associations WHERE slug = '${slug}')`;
  const plainAssociation = `(SELECT id FROM associations WHERE slug = '${plainSlug}')`;
  let counters = '';
  for (let shard = 0; shard < 16; shard++) {
    counters += `INSERT INTO petitions_counters (petition_id, shard, n) VALUES (1, ${shard}, 0);
                 INSERT INTO petitions_counters (petition_id, shard, n) VALUES (2, ${shard}, 0);`;
  }
  // The proof-of-work on, with a wait no test waits for: only a solution passes at once.
  sql(`INSERT INTO plugin_associations VALUES ('petitions', ${association}, 1, ${now});
       INSERT INTO plugin_settings VALUES ('petitions', ${association}, 'proof_of_work', 'true');
       INSERT INTO plugin_settings VALUES ('petitions', ${association}, 'proof_of_work_seconds', '120');
       INSERT INTO petitions_petitions (association_id, title, body, addressee, goal, status, created_at, updated_at)
         VALUES (${association}, 'Des ruches en ville', 'Un **texte** court.', 'La mairie', 100, 'open', ${now}, ${now});
       INSERT INTO plugin_associations VALUES ('petitions', ${plainAssociation}, 1, ${now});
       INSERT INTO petitions_petitions (association_id, title, body, addressee, goal, status, ask_postcode,
                                        consent_text, created_at, updated_at)
         VALUES (${plainAssociation}, 'Des livres partout', 'Un texte.', 'Le département', 100, 'open', 1,
                 'Me tenir informé·e', ${now}, ${now});
       ${counters}`);
  // Another site: "localhost" is another site than "127.0.0.1", so the
  // browser sends our cookies neither to nor from its frame.
  // Its frame shows the embedded form of `?petition=` (the first petition's by default).
  host = http.createServer((request, response) => {
    const framed = new URL(request.url, 'http://localhost').searchParams.get('petition') === '2' ? plainPetition
      : petition;
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.end(`<!doctype html><html lang="fr"><title>Un autre site</title><main><h1>Un autre site</h1>
      <iframe title="Signer la pétition" src="${server.url}${framed}/embed" width="600" height="900"></iframe></main>`);
  });
  await new Promise((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostUrl = `http://localhost:${host.address().port}/`;
});

after(async () => {
  await browser?.close();
  host?.close();
  await server?.stop();
});

test('with JavaScript, pow.js solves the challenge and the signature is taken at once', async () => {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(`${server.url}${petition}`);
  await page.getByLabel('Nom', { exact: true }).fill('Ana Script');
  await page.getByLabel('Adresse e-mail', { exact: true }).fill('ana.script@example.org');
  await Promise.all([
    page.waitForURL(/signed=check/, { timeout: 30_000 }),
    page.getByRole('button', { name: 'Signer', exact: true }).click(),
  ]);
  assert.match(await page.getByRole('status').first().textContent(), /Consultez votre messagerie/);
  await context.close();
});

test("the embedded form signs inside another site's frame and answers there", async () => {
  const before = signatures();
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(hostUrl);
  const frame = page.frameLocator('iframe');
  await frame.getByLabel('Nom', { exact: true }).fill('Bea Cadre');
  await frame.getByLabel('Adresse e-mail', { exact: true }).fill('bea.cadre@example.org');
  await frame.getByRole('button', { name: 'Signer', exact: true }).click();
  await frame.getByText('Consultez votre messagerie', { exact: false }).waitFor({ timeout: 30_000 });
  assert.equal(signatures(), before + 1);
  await context.close();
});

test('without JavaScript, an early form in the frame is told to wait and keeps its values', async () => {
  const before = signatures();
  const context = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(hostUrl);
  const frame = page.frameLocator('iframe');
  await frame.getByLabel('Nom', { exact: true }).fill('Cy Sans Script');
  await frame.getByLabel('Adresse e-mail', { exact: true }).fill('cy@example.org');
  await frame.getByRole('button', { name: 'Signer', exact: true }).click();
  await frame.getByText('attendez 120 secondes', { exact: false }).first().waitFor({ timeout: 30_000 });
  assert.equal(await frame.getByLabel('Adresse e-mail', { exact: true }).inputValue(), 'cy@example.org');
  assert.equal(signatures(), before);
  await context.close();
});

test('a coordinator uploads the image through the multipart form, the public page shows it, axe clean', async () => {
  const context = await browser.newContext({ javaScriptEnabled: true, bypassCSP: true, locale: 'fr-FR' });
  const page = await context.newPage();
  await signIn(page, server.url, 'karim.benali@demo.ruche.local', server.password);
  await page.goto(`${server.url}/a/${slug}/petitions/manage/1`);
  const { blocking } = await runAxe(page);
  assert.equal(blocking.length, 0, `edit page: serious/critical axe violation(s)\n${describeViolations(blocking)}`);
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
  await page.getByLabel('Image (JPEG, PNG ou WebP)', { exact: true }).setInputFiles({
    name: 'ruche.png', mimeType: 'image/png', buffer: png });
  await page.getByLabel('Texte alternatif de l’image', { exact: true }).fill('Une ruche en ville');
  await Promise.all([
    page.waitForURL(/saved=image$/),
    page.getByRole('button', { name: 'Enregistrer l’image', exact: true }).click(),
  ]);
  await page.goto(`${server.url}${petition}`);
  assert.equal(await page.getByRole('img', { name: 'Une ruche en ville' }).getAttribute('src'), `${petition}/image`);
  await context.close();
});

for (const [label, where] of [['public petition page', petition], ['embedded form', `${petition}/embed`]]) {
  test(`axe finds no serious or critical violation on the ${label}`, async () => {
    const context = await browser.newContext({ javaScriptEnabled: true, bypassCSP: true, locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(`${server.url}${where}`);
    const { blocking, other } = await runAxe(page);
    if (other.length > 0) {
      console.log(`# ${label}: ${other.length} minor/moderate axe finding(s)\n${describeViolations(other)}`);
    }
    assert.equal(blocking.length, 0,
      `${label}: ${blocking.length} serious/critical axe violation(s)\n${describeViolations(blocking)}`);
    await context.close();
  });
}

// The pages a signer reaches from a mail, with an unknown link, and the form
// sent back with errors: each must stay usable with a screen reader too.
test('axe finds no serious or critical violation on the form with errors and the mailed links\' pages', async () => {
  const context = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: true, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${server.url}${petition}`);
  await page.getByLabel('Nom', { exact: true }).fill('Dee');
  await page.getByLabel('Adresse e-mail', { exact: true }).fill('dee@');
  await Promise.all([
    page.waitForURL(/\/sign$/),
    page.getByRole('button', { name: 'Signer', exact: true }).click(),
  ]);
  assert.equal(await page.getByLabel('Adresse e-mail', { exact: true }).inputValue(), 'dee@');
  for (const [label, where] of [['form with errors', null],
    ['unknown confirmation link', `/a/${slug}/petitions/confirm/unknown-token`],
    ['unknown withdrawal link', `/a/${slug}/petitions/withdraw/unknown-token`]]) {
    if (where) {
      await page.goto(`${server.url}${where}`);
    }
    const { blocking } = await runAxe(page);
    assert.equal(blocking.length, 0,
      `${label}: ${blocking.length} serious/critical axe violation(s)\n${describeViolations(blocking)}`);
  }
  await context.close();
});

/// The id of the signature made with `email` (a withdrawal erases the address, not the row).
function signatureId(email) {
  return Number(sql(`SELECT COALESCE((SELECT id FROM petitions_signatures WHERE email = '${email}'), 0);`).trim());
}

/// A signature's [confirmed_at, withdrawn_at, consent, postcode], '' for NULL.
function signatureRow(id) {
  const row = sql(`SELECT COALESCE(confirmed_at, ''), COALESCE(withdrawn_at, ''), consent, postcode
                   FROM petitions_signatures WHERE id = ${id};`).trim().split('|');
  assert.equal(row.length, 4, `signature ${id}: no such row`);
  return row;
}

test('without JavaScript, a signature is made in the frame, confirmed and withdrawn through its mail', async () => {
  const email = 'dan.sans-script@example.org';
  const context = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${hostUrl}?petition=2`);
  const frame = page.frameLocator('iframe');
  await frame.getByLabel('Nom', { exact: true }).fill('Dan Sans Script');
  await frame.getByLabel('Adresse e-mail', { exact: true }).fill(email);
  await frame.getByLabel('Code postal', { exact: true }).fill('59000');
  await frame.getByLabel('Me tenir informé·e', { exact: true }).check();
  await frame.getByRole('button', { name: 'Signer', exact: true }).click();
  await frame.getByText('Consultez votre messagerie', { exact: false }).first().waitFor({ timeout: 30_000 });
  const id = signatureId(email);
  assert.ok(id > 0, 'a signature row for the address');
  const [confirmedAt, , consent, postcode] = signatureRow(id);
  assert.deepEqual([confirmedAt, consent, postcode], ['', '1', '59000'], 'stored, pending, with what was typed');

  const links = `/a/${plainSlug}/petitions`;
  const confirmLink = await linkInMail(server, email, new RegExp(`${links}/confirm/[A-Za-z0-9_.-]+`));
  const withdrawLink = await linkInMail(server, email, new RegExp(`${links}/withdraw/[A-Za-z0-9_.-]+`));

  // Both links' pages, still unused, pass axe (a context with JavaScript, for axe only).
  const axeContext = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: true, bypassCSP: true });
  const axePage = await axeContext.newPage();
  for (const [label, where] of [['confirmation link', confirmLink], ['withdrawal link', withdrawLink]]) {
    await axePage.goto(`${server.url}${where}`);
    const { blocking } = await runAxe(axePage);
    assert.equal(blocking.length, 0,
      `${label}: ${blocking.length} serious/critical axe violation(s)\n${describeViolations(blocking)}`);
  }
  await axeContext.close();
  assert.equal(signatureRow(id)[0], '', 'opening the link confirms nothing: only its button does');

  await page.goto(`${server.url}${confirmLink}`);
  await page.getByRole('button', { name: 'Je confirme ma signature', exact: true }).click();
  await page.getByText('votre signature est confirmée et comptée', { exact: false }).first().waitFor();
  assert.notEqual(signatureRow(id)[0], '', 'confirmed');

  await page.goto(`${server.url}${withdrawLink}`);
  await page.getByRole('button', { name: 'Je retire ma signature', exact: true }).click();
  assert.match(await page.getByRole('status').first().textContent(), /Votre signature est retirée/);
  assert.notEqual(signatureRow(id)[1], '', 'withdrawn');
  await context.close();
});

test("axe finds no serious or critical violation on the coordinator's updates and report pages", async () => {
  const context = await browser.newContext({ javaScriptEnabled: true, bypassCSP: true, locale: 'fr-FR' });
  const page = await context.newPage();
  await signIn(page, server.url, 'karim.benali@demo.ruche.local', server.password);
  for (const [label, where] of [['updates page', 'updates'], ['delivery report', 'report']]) {
    const answer = await page.goto(`${server.url}/a/${slug}/petitions/manage/1/${where}`);
    assert.equal(answer.status(), 200, `${label}: status`);
    const { blocking } = await runAxe(page);
    assert.equal(blocking.length, 0,
      `${label}: ${blocking.length} serious/critical axe violation(s)\n${describeViolations(blocking)}`);
  }
  await context.close();
});
