// Opens the rendered reference in headless Chromium (Debian's, through playwright-core) and
// reports what each route shows; test_rendered_reference.py decides what must be there.
// Usage: node check_pages.mjs plan.json > report.json
// plan: {playwright, chromium, screenshots, languages: [string],
//        pages: [{name, file, routes: [string] | null, screenshot?: [string], tabs?: [string]}]}
// report: {<name>: {errors, blocked, links,
//                   sections: {<route>: {found, title, text, tables, sample, tabs}}}}
// `sample` is the code-sample panel as shown ({language, code} or null); on the routes listed in
// `tabs`, `tabs` holds each language's code after picking it in the panel's menu.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const plan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const { chromium } = await import(pathToFileURL(plan.playwright).href);

// The flags this closed network needs (machine notes): no background or component traffic.
const browser = await chromium.launch({
  executablePath: plan.chromium,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
// How long a section may take to render: generous, since a loaded CI machine (or one shared with
// other jobs) has taken more than 15 s for one; only a section that never renders waits it out.
const WAIT_MS = 60000;
const report = {};

const nextFrames = (page) => page.evaluate(() => new Promise((done) => {
  requestAnimationFrame(() => requestAnimationFrame(done));
}));

// The code-sample panel's language and code: the panel whose menu button names a language of
// the plan (its other menu picks the server).
const shownSample = (page, selector) => page.$eval(selector, (section, languages) => {
  for (const button of section.querySelectorAll('[data-testid="dropdown"] > button')) {
    const language = button.textContent.trim();
    if (!languages.includes(language)) continue;
    const code = button.closest('[data-component-name="Panel/Panel"]')
      ?.querySelector('[data-testid="source-code"]');
    return code ? { language, code: code.innerText } : null;
  }
  return null;
}, plan.languages);

// Each language's code, picked through the panel's menu; the first language is picked last, so
// the next routes show it again (the choice is shared by every panel of the page).
async function everyTab(page, selector) {
  const tabs = {};
  for (const language of [...plan.languages.slice(1), plan.languages[0]]) {
    const current = await shownSample(page, selector);
    if (current === null) break;
    const button = page.locator(`${selector} [data-testid="dropdown"] > button`)
      .filter({ hasText: new RegExp(`^${current.language}$`) }).first();
    await button.scrollIntoViewIfNeeded();
    await button.click();
    await page.locator('[role="menuitem"]:visible')
      .filter({ hasText: new RegExp(`^${language}$`) }).first().click();
    await nextFrames(page);
    const shown = await shownSample(page, selector);
    if (shown !== null) tabs[shown.language] = shown.code;
  }
  return tabs;
}

try {
  for (const spec of plan.pages) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const result = { errors: [], blocked: [], links: [], sections: {} };
    page.on('pageerror', (err) => result.errors.push(String(err)));
    // The reference must work offline: anything not on disk is refused and recorded.
    await page.route(/^https?:/, (route) => {
      result.blocked.push(route.request().url());
      return route.abort();
    });
    await page.goto(pathToFileURL(spec.file).href);
    const shot = (label) => page.screenshot({
      path: path.join(plan.screenshots, `${spec.name}-${label.replace(/[^a-z0-9.-]+/gi, '_')}.png`),
    });
    if (spec.routes === null) { // a plain page: its links
      result.links = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
      await shot('page');
    } else {
      await page.waitForSelector('[data-section-id]', { timeout: WAIT_MS });
      await shot('overview');
      for (const route of spec.routes) {
        await page.evaluate((r) => { window.location.hash = `#${r}`; }, route);
        const selector = `[data-section-id="${route}"]`;
        // Sections render lazily: wait until this one has its heading and its laid-out text
        // (under load the heading can come a few frames before the rest), then for two frames.
        const found = await page.waitForFunction(
          (sel) => {
            const section = document.querySelector(sel);
            return section?.querySelector('h1, h2') != null && section.innerText.trim() !== '';
          },
          selector, { timeout: WAIT_MS },
        ).then(() => true, () => false);
        await nextFrames(page);
        result.sections[route] = found ? await page.$eval(selector, (section) => ({
          found: true,
          title: section.querySelector('h1, h2')?.textContent.trim() ?? '',
          text: section.innerText,
          tables: [...section.querySelectorAll('table')].map((t) => t.rows.length),
        })) : { found: false, title: '', text: '', tables: [] };
        if (found) {
          result.sections[route].sample = await shownSample(page, selector);
          if (spec.tabs?.includes(route)) {
            result.sections[route].tabs = await everyTab(page, selector);
          }
        }
        if (spec.screenshot === undefined || spec.screenshot.includes(route)) {
          await shot(route);
        }
      }
    }
    report[spec.name] = result;
    await page.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report));
