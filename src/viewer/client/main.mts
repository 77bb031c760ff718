// The page's entry: a hash router (`#/`, `#/run/<id>`, `#/run/<id>/sample/<n>`, `#/compare`), so
// every view has an address that back/forward and bookmarks keep, filters included.
import {h, replace} from "./dom.mjs";
import type {Child} from "./dom.mjs";
import {runsPage} from "./runsPage.mjs";
import {runPage} from "./runPage.mjs";
import {samplePage} from "./samplePage.mjs";
import {comparePage} from "./comparePage.mjs";

/** What a page gives the router. */
export interface Page {
    title: string;
    crumbs: {label: string, href?: string}[];
    content: HTMLElement;
    /** Page-wide keyboard shortcuts, active while the page is shown. */
    keys?: (event: KeyboardEvent) => void;
}

let token = 0;
let lastPath: string | null = null;
let pageKeys: ((event: KeyboardEvent) => void) | undefined;

async function render(): Promise<void> {
    const mine = ++token;
    const hash = location.hash.replace(/^#/, "") || "/";
    const [path, query = ""] = hash.split("?");
    const params = new URLSearchParams(query);
    const main = document.getElementById("main")!;
    const focusedId = document.activeElement instanceof HTMLElement && document.activeElement.id !== "" ? document.activeElement.id : null;
    document.body.setAttribute("aria-busy", "true");
    let page: Page;
    try {
        page = await route(path, params);
    } catch (e) {
        page = {title: "Error", crumbs: [], content: h("div", {class: "error-box", attrs: {role: "alert"}}, (e as Error).message)};
    }
    if (mine !== token) return;
    document.title = `${page.title} · rmr1 view`;
    replace(document.getElementById("crumbs")!, crumbs(page.crumbs));
    replace(main, page.content);
    pageKeys = page.keys;
    document.body.removeAttribute("aria-busy");
    document.body.dataset.ready = String(mine);
    // A new view moves the focus to its heading; a filter change keeps it on the control that changed.
    const again = focusedId != null ? document.getElementById(focusedId) : null;
    if (path === lastPath && again != null) again.focus();
    else if (path !== lastPath) {
        const heading = main.querySelector<HTMLElement>("h1");
        if (heading != null) {
            heading.tabIndex = -1;
            heading.focus({preventScroll: true});
        }
        window.scrollTo(0, 0);
    }
    lastPath = path;
}

function route(path: string, params: URLSearchParams): Promise<Page> {
    const parts = path.split("/").filter((p) => p !== "").map(decodeURIComponent);
    if (parts.length === 0) return runsPage();
    if (parts[0] === "run" && parts.length === 2) return runPage(parts[1], params);
    if (parts[0] === "run" && parts.length === 4 && parts[2] === "sample") return samplePage(parts[1], Number(parts[3]), params);
    if (parts[0] === "compare") return comparePage(params);
    return Promise.resolve({title: "Not found", crumbs: [], content: h("div", {class: "error-box"}, `No page at #${path}. `, h("a", {attrs: {href: "#/"}}, "Back to the runs."))});
}

function crumbs(list: Page["crumbs"]): Child[] {
    const out: Child[] = [];
    list.forEach((c, i) => {
        if (i > 0) out.push(h("span", {attrs: {"aria-hidden": "true"}}, "›"));
        out.push(c.href != null ? h("a", {attrs: {href: c.href}}, c.label) : h("span", {attrs: {"aria-current": "page"}}, c.label));
    });
    return out;
}

document.addEventListener("keydown", (event: KeyboardEvent) => {
    const target = event.target as HTMLElement | null;
    if (target != null && (target.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName))) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    pageKeys?.(event);
});
window.addEventListener("hashchange", () => void render());
void render();
