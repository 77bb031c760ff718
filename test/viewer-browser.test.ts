// End-to-end: the viewer in a real headless Chromium — Debian's /usr/bin/chromium driven by
// playwright-core, never a downloaded browser — over fixture runs written by the tests. Screenshots
// of each step go to test-artifacts/viewer/ (gitignored; the docs' images are copies of these).
import {existsSync, mkdirSync, mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {chromium} from "playwright-core";
import type {BrowserContext, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {startViewer} from "../src/index.js";
import type {SamplesResponse, Viewer} from "../src/index.js";
import {HOSTILE, fixtureRuns, writeViewerRuns} from "./fixtures/viewer/viewerRuns.js";

// Callbacks given to page.evaluate run in the browser; the project's type-check has no DOM library.
declare const document: any, window: any, getComputedStyle: (el: unknown) => {outlineStyle: string};

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
const title = haveChromium
    ? "rmr1 view in headless Chromium"
    : `rmr1 view in headless Chromium — SKIPPED: ${CHROMIUM} is not installed (apt-get install chromium; .ci/run installs it)`;
if (!haveChromium) console.warn(`viewer browser tests skipped: ${CHROMIUM} is not installed`);

const artifacts = fileURLToPath(new URL("../test-artifacts/viewer/", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "rmr1-viewer-e2e-"));
const profile = mkdtempSync(join(tmpdir(), "rmr1-chromium-profile-"));
let viewer: Viewer;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
const offsite: string[] = [];
const dialogs: string[] = [];

describe.skipIf(!haveChromium)(title, () => {
    beforeAll(async () => {
        mkdirSync(artifacts, {recursive: true});
        await writeViewerRuns(root);
        viewer = await startViewer({dir: root, port: 0});
        context = await chromium.launchPersistentContext(profile, {
            executablePath: CHROMIUM,
            headless: true,
            args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            viewport: {width: 1360, height: 900}
        });
        // Everything must come from the viewer itself: no CDN, no fonts, no trackers.
        await context.route("**/*", (route) => {
            if (route.request().url().startsWith(viewer.url)) return route.continue();
            offsite.push(route.request().url());
            return route.abort();
        });
        page = context.pages()[0] ?? await context.newPage();
        page.on("pageerror", (e) => pageErrors.push(e.message));
        page.on("console", (m) => {
            if (m.type() === "error") pageErrors.push(m.text());
        });
        page.on("dialog", (d) => {
            dialogs.push(d.message());
            void d.dismiss();
        });
    }, 120_000);

    afterAll(async () => {
        await context?.close();
        await viewer?.close();
        rmSync(root, {recursive: true, force: true});
        rmSync(profile, {recursive: true, force: true});
    });

    /** Run `action` and wait until the page has drawn the view it leads to. */
    async function drawn(action: () => Promise<unknown>): Promise<void> {
        const before = await page.evaluate(() => document.body.dataset.ready ?? "");
        await action();
        await page.waitForFunction((b) => (document.body.dataset.ready ?? "") !== b && !document.body.hasAttribute("aria-busy"), before);
    }

    async function shot(name: string): Promise<void> {
        await page.screenshot({path: join(artifacts, `${name}.png`), fullPage: false});
    }

    it("opens an eval run, filters to wrong verdicts, opens a sample, shows a highlighted quote, then a training run's curves", async () => {
        await drawn(() => page.goto(viewer.url));
        await expect.poll(() => page.locator("a.run-link").count()).toBe(Object.keys(fixtureRuns).length - 1);
        expect(await page.locator("td", {hasText: "run.json is not valid JSON"}).count()).toBe(1);
        await shot("01-runs");

        await drawn(() => page.click(`a.run-link:text-is("${fixtureRuns.evalA}")`));
        expect(await page.locator("h1").textContent()).toBe("world-rm-r1-a");
        expect(await page.locator(".bars .bar").count()).toBeGreaterThanOrEqual(3 + 6);
        await shot("02-eval-overview");

        await drawn(() => page.click("#tab-scores"));
        const thisRun = page.locator("tr.this-run").first();
        expect(await thisRun.textContent()).toContain("world:teacher");
        expect(await page.locator("td", {hasText: "RM-R1-Qwen-Instruct-32B"}).count()).toBeGreaterThan(0);
        await shot("03-scores-vs-paper");

        await drawn(() => page.click("#tab-samples"));
        await drawn(() => page.selectOption("#filter-result", "wrong"));
        const api = await (await fetch(new URL(`/api/runs/${encodeURIComponent(fixtureRuns.evalA)}/samples?result=wrong`, viewer.url))).json() as SamplesResponse;
        const badges = await page.locator("ol.samples .badge").allTextContents();
        expect(badges.length).toBe(Math.min(50, api.total));
        expect(new Set(badges)).toEqual(new Set(["wrong"]));
        expect(await page.locator(".pager").textContent()).toContain(`of ${api.total} (filtered from ${api.all})`);
        expect(page.url()).toContain("result=wrong");
        await shot("04-samples-wrong");

        await drawn(() => page.locator("a.sample-link", {hasText: "odd-sum"}).click());
        expect(await page.locator("#verdict-banner").getAttribute("class")).toContain("wrong");
        expect(await page.locator("#verdict-banner").textContent()).toMatch(/^Wrong — verdict B/);
        expect(await page.locator(".badge.type-Reasoning").count()).toBe(1);
        // The quote from Chatbot B sits highlighted in the rejected reply (shown as B).
        const quote = page.locator("a.cite.quote.side-B");
        const quoted = (await quote.textContent())!.replace(/^QB/, "");
        await quote.click();
        const active = page.locator("mark.q.active");
        await expect.poll(() => active.count()).toBeGreaterThan(0);
        expect(await active.evaluate((m) => m.closest(".reply")?.querySelector("h3")?.textContent)).toMatch(/^Rejected.*shown as B/);
        expect((await active.allTextContents()).join("")).toBe(quoted);
        expect(await page.evaluate(() => document.activeElement.tagName)).toBe("MARK");
        await shot("05-sample-highlighted-quote");

        // ] steps to the next wrong sample; Escape goes back to the filtered list.
        const firstId = await page.locator("h1").textContent();
        await drawn(() => page.keyboard.press("]"));
        expect(await page.locator("h1").textContent()).not.toBe(firstId);
        expect(await page.locator("#verdict-banner").getAttribute("class")).toContain("wrong");
        await drawn(() => page.keyboard.press("Escape"));
        expect(await page.locator("#filter-result").inputValue()).toBe("wrong");

        await drawn(() => page.click("#crumbs a:text-is('Runs')"));
        await drawn(() => page.click(`a.run-link:text-is("${fixtureRuns.grpo}")`));
        expect(await page.locator("#tab-curves").getAttribute("aria-current")).toBe("page");
        const charts = page.locator(".chart svg");
        expect(await charts.count()).toBeGreaterThanOrEqual(7);
        expect(await page.locator(".chart h3 span:first-child").allTextContents()).toEqual(expect.arrayContaining(["loss", "reward", "accuracy", "KL (low_var_kl)", "response length (tokens)", "clip fraction", "learning rate"]));
        const reward = page.locator(".chart", {has: page.locator("h3 span:text-is('reward')")});
        expect((await reward.locator("path.line-a").getAttribute("d"))!.split("L").length).toBe(60);
        await reward.locator("svg").focus();
        await page.keyboard.press("Home");
        expect(await reward.locator(".readout").textContent()).toMatch(/^step 1 — -?0\.\d+/);
        await page.keyboard.press("ArrowRight");
        expect(await reward.locator(".readout").textContent()).toMatch(/^step 2 — /);
        await shot("06-training-curves");

        await drawn(() => page.click("#tab-rollouts"));
        expect(await page.locator("details.rollout").count()).toBe(8);
        expect(await page.locator("details.rollout[open] mark.q").count()).toBeGreaterThan(0);
        await shot("07-rollouts");

        await drawn(() => page.click("#crumbs a:text-is('Runs')"));
        await page.check(`input[aria-label="select ${fixtureRuns.evalA} for comparison"]`);
        await page.check(`input[aria-label="select ${fixtureRuns.evalB} for comparison"]`);
        await drawn(() => page.click("#compare-button"));
        expect(await page.locator("h1").textContent()).toBe("world-rm-r1-a vs world-rm-r1-b");
        expect(await page.locator(".agree a").count()).toBe(4);
        await shot("08-compare");

        expect(pageErrors).toEqual([]);
        expect(offsite).toEqual([]);
    });

    it("shows HTML and script in run content as text and runs none of it", async () => {
        await drawn(() => page.goto(`${viewer.url}#/`));
        expect(await page.locator("td", {hasText: "<img src=z onerror="}).count()).toBe(1);
        await drawn(() => page.goto(`${viewer.url}#/run/${encodeURIComponent(fixtureRuns.hostile)}/sample/0`));
        // Hover and click every quote, the usual ways a handler would fire.
        for (const cite of await page.locator("a.cite").all()) {
            await cite.hover();
            await cite.click();
        }
        await page.locator("details.sec summary", {hasText: "Raw output"}).click();
        await page.mouse.move(10, 10);
        await page.waitForTimeout(300);
        expect(await page.evaluate(() => window.__xss)).toBeUndefined();
        expect(dialogs).toEqual([]);
        expect(await page.locator("#main img, #main iframe, #main script, #main svg, #main b, #main [onerror], #main [onload], #main [onmouseover]").count()).toBe(0);
        expect(await page.locator("h1").textContent()).toBe("<b onmouseover=\"window.__xss='id'\">xss-probe</b>");
        expect(await page.locator(".reply").first().textContent()).toContain(HOSTILE.chosen);
        expect(await page.locator(".msg .text").first().textContent()).toBe(HOSTILE.prompt);
        expect(await page.locator("pre").last().textContent()).toBe(HOSTILE.trace);
        expect(await page.locator("ol.rubric-items li").first().textContent()).toContain("<script>window.__xss='rubric'</script>");
        await shot("09-hostile-content-as-text");
        expect(pageErrors).toEqual([]);
    });

    it("is usable by keyboard: arrows in lists, Enter to open, a visible focus ring", async () => {
        await drawn(() => page.goto(`${viewer.url}#/`));
        const links = await page.locator("a.run-link").allTextContents();
        // One tab stop for the whole list: the first link takes Tab, the others wait for arrows.
        expect(await page.locator("a.run-link[tabindex='0']").count()).toBe(1);
        await page.locator("a.run-link").first().focus();
        await page.keyboard.press("ArrowDown");
        expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(links[1]);
        const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
        expect(ring).toBe("solid");
        await page.keyboard.press("End");
        expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(links[links.length - 1]);
        await page.keyboard.press("Home");
        await drawn(() => page.keyboard.press("Enter"));
        expect(page.url()).toContain(`#/run/${encodeURIComponent(links[0])}`);

        await drawn(() => page.goto(`${viewer.url}#/run/${encodeURIComponent(fixtureRuns.evalA)}?tab=samples`));
        await page.locator("a.sample-link").first().focus();
        await page.keyboard.press("ArrowDown");
        await page.keyboard.press("ArrowDown");
        const third = await page.evaluate(() => document.activeElement.dataset.index);
        await drawn(() => page.keyboard.press("Enter"));
        expect(page.url()).toContain(`/sample/${third}`);
        // Enter on a quote moves the focus to its highlight; Enter there goes back to the quote.
        const cite = page.locator("a.cite.quote").first();
        await cite.focus();
        await page.keyboard.press("Enter");
        await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe("MARK");
        await page.keyboard.press("Enter");
        await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains("cite"))).toBe(true);
        await shot("10-keyboard-focus");
        expect(pageErrors).toEqual([]);
    });
});
