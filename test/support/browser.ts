import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
  type Response,
} from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/**
 * One real Chromium per browser test file: Debian's `chromium` (installed by bin/ensure-system-tools.sh),
 * driven by playwright-core, headless, with nothing reaching out to the network.
 *
 *   const browser = useBrowser();
 *   it('...', async () => { const page = await browser.newPage({ viewport: phoneViewport }); ... });
 */
export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * Without the background-networking flags Chromium tries Google's services at start-up and this machine's
 * closed network refuses them noisily. Playwright gives every `launch` a fresh temporary profile
 * (`--user-data-dir` in the OS temp folder, deleted on close) and refuses the flag itself, so the profile
 * is fresh without passing one.
 */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** An iPhone 12-14 sized screen: the narrowest phone the pages promise to fit without sideways scrolling. */
export const phoneViewport = { width: 390, height: 844 } as const;

export interface BrowserForTests {
  readonly browser: Browser;
  /** a new context (its own cookies and settings) and one page in it; closed with the browser */
  newPage(options?: BrowserContextOptions): Promise<Page>;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: [...chromiumArgs] });
}

/** Launches Chromium before the file's tests and closes it (and every context) after them. */
export function useBrowser(): BrowserForTests {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
  });
  const started = (): Browser => {
    if (browser === undefined) throw new Error('the browser is not launched: use it inside a test');
    return browser;
  };
  return {
    get browser() {
      return started();
    },
    async newPage(options = {}) {
      const context = await started().newContext(options);
      contexts.push(context);
      return context.newPage();
    },
  };
}

/**
 * Clicks a submit button and waits until the page the server answered the POST with is loaded; answers
 * that response (its status is what a person's browser got).
 */
export async function submitWith(page: Page, button: Locator): Promise<Response> {
  // both listeners first: the answer may commit before click() returns
  const responded = page.waitForResponse(
    (r) => r.request().method() === 'POST' && r.request().resourceType() === 'document',
  );
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
  await button.click();
  const response = await responded;
  await navigated;
  await page.waitForLoadState('load');
  return response;
}

/** The value Chromium computed for one CSS property of an element (needs the page's JavaScript on). */
export async function computedStyleOf(element: Locator, property: string): Promise<string> {
  // runs inside the page, where getComputedStyle exists; the project's TypeScript has no DOM library
  type PageWindow = { getComputedStyle(element: unknown): { getPropertyValue(name: string): string } };
  return element.evaluate(
    (node, name) => (globalThis as unknown as PageWindow).getComputedStyle(node).getPropertyValue(name),
    property,
  );
}

/** The project's git-ignored `screenshots/` folder, where a person can look at what the browser saw. */
export const screenshotDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'screenshots');

/** Saves the whole page (not just the viewport) as `screenshots/<name>.png` and returns the path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name.replace(/[^A-Za-z0-9_-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A form control the accessibility tree gives no name: a screen reader would announce only its role. */
export interface UnnamedControl {
  readonly role: string;
  /** the control's HTML, shortened, to find it in the page */
  readonly html: string;
}

/**
 * Every visible form control (input, select, textarea, button) whose accessible name, as Chromium's own
 * accessibility tree computes it from labels, legends, aria attributes and button text, is empty.
 */
export async function unnamedControls(page: Page): Promise<UnnamedControl[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = (await cdp.send('DOM.getDocument', { depth: 0 })) as { root: { nodeId: number } };
    const { nodeIds } = (await cdp.send('DOM.querySelectorAll', {
      nodeId: root.nodeId,
      selector: 'input:not([type=hidden]), select, textarea, button',
    })) as { nodeIds: number[] };
    const unnamed: UnnamedControl[] = [];
    for (const nodeId of nodeIds) {
      const { nodes } = (await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false })) as {
        nodes: { ignored: boolean; role?: { value?: string }; name?: { value?: string } }[];
      };
      const node = nodes[0];
      if (node === undefined || node.ignored) continue;
      const name = String(node.name?.value ?? '').trim();
      if (name !== '') continue;
      const { outerHTML } = (await cdp.send('DOM.getOuterHTML', { nodeId })) as { outerHTML: string };
      unnamed.push({ role: String(node.role?.value ?? 'unknown'), html: outerHTML.slice(0, 160) });
    }
    return unnamed;
  } finally {
    await cdp.detach();
  }
}

/** How many CSS pixels the page is wider than its viewport (0 when nothing scrolls sideways). */
export async function horizontalOverflow(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    // read through the protocol, not page.evaluate, so it also works where the page's JavaScript is off
    const metrics = (await cdp.send('Page.getLayoutMetrics')) as {
      cssContentSize: { width: number };
      cssLayoutViewport: { clientWidth: number };
    };
    return Math.max(0, Math.ceil(metrics.cssContentSize.width - metrics.cssLayoutViewport.clientWidth));
  } finally {
    await cdp.detach();
  }
}

/** How tall the page is in CSS pixels, read through the protocol like horizontalOverflow (the page's JavaScript may be off). */
export async function pageHeight(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const metrics = (await cdp.send('Page.getLayoutMetrics')) as { cssContentSize: { height: number } };
    return Math.ceil(metrics.cssContentSize.height);
  } finally {
    await cdp.detach();
  }
}

/**
 * axe-core's serious and critical findings (WCAG 2.1 A and AA) on the page at `url`, one line each, named
 * `name`. axe runs as script, so this page has JavaScript on; it is injected through the DevTools
 * protocol, which the page's CSP (no script at all) does not govern.
 */
export async function seriousAccessibilityProblems(
  browser: BrowserForTests,
  url: string,
  name: string,
): Promise<string[]> {
  const page = await browser.newPage({ viewport: phoneViewport, javaScriptEnabled: true });
  try {
    await page.goto(url);
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${name}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  } finally {
    await page.context().close();
  }
}
