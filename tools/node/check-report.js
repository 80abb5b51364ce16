// Opens a simulation report (report.html) in headless Chromium and prints, as JSON on stdout, what rendered:
// every chart (svg[data-chart]) with whether its script finished and how many marks (rect, path) it drew, and every
// console error or page error. Usage: node check-report.js REPORT.html [CHROMIUM]
// The browser is Debian's chromium (tools/setup.sh installs it); playwright-core drives it (no browser download) with a
// fresh profile of its own.
const { chromium } = require('playwright-core');
const path = require('path');
const fs = require('fs');

(async () => {
  const report = path.resolve(process.argv[2] || '');
  if (!fs.existsSync(report)) {
    console.error(`No report at ${report}.`);
    process.exit(2);
  }
  const executablePath = process.argv[3] || process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  const errors = [];
  const requests = [];
  try {
    const page = await browser.newPage();
    page.on('console', message => { if (message.type() === 'error') errors.push(`console: ${message.text()}`); });
    page.on('pageerror', error => errors.push(`page: ${error.message}`));
    page.on('request', request => { if (!request.url().startsWith('file:')) requests.push(request.url()); });
    await page.goto('file://' + report, { waitUntil: 'load' });
    await page.waitForFunction(() => {
      const charts = [...document.querySelectorAll('svg[data-chart]')];
      return charts.length > 0 && charts.every(svg => svg.getAttribute('data-rendered') === 'true');
    }, null, { timeout: 10000 }).catch(error => errors.push(`wait: ${error.message}`));
    const charts = await page.$$eval('svg[data-chart]', svgs => svgs.map(svg => ({
      name: svg.getAttribute('data-chart'),
      rendered: svg.getAttribute('data-rendered') === 'true',
      marks: svg.querySelectorAll('rect[data-value], path').length,
      text: svg.textContent,
    })));
    console.log(JSON.stringify({ title: await page.title(), charts, errors, requests }));
  } finally {
    await browser.close();
  }
})().catch(error => {
  console.error(error.stack || String(error));
  process.exit(1);
});
