// Building the page from data without ever parsing HTML: every element is created with
// `document.createElement`, every piece of run content becomes a text node, and attributes are set
// one by one (event-handler attributes are refused; listeners are attached with `on`).
// Run content is untrusted — a model output may contain `<script>` or `<img onerror>` — and this
// is the only way text reaches the page.

export type Child = Node | string | number | null | undefined | false | Child[];

export interface Props {
    class?: string;
    /** Attributes by name (`href`, `aria-label`, `tabindex`, `data-x`, ...). */
    attrs?: Record<string, string | number | boolean | null | undefined>;
    /** Event listeners by event name. */
    on?: Record<string, (event: any) => void>;
}

/** An element with text children; `props` may be omitted. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
    const el = document.createElement(tag);
    apply(el, props);
    append(el, children);
    return el;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element (charts). */
export function s<K extends keyof SVGElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): SVGElementTagNameMap[K] {
    const el = document.createElementNS(SVG_NS, tag);
    apply(el, props);
    append(el, children);
    return el;
}

function apply(el: Element, props: Props | null | undefined): void {
    if (props == null) return;
    if (props.class != null) el.setAttribute("class", props.class);
    for (const [name, value] of Object.entries(props.attrs ?? {})) {
        // Handlers as attributes would be code; URLs are only ever built by this page.
        if (/^on/i.test(name)) throw new Error(`refusing event-handler attribute ${name}`);
        if (value == null || value === false) continue;
        el.setAttribute(name, value === true ? "" : String(value));
    }
    for (const [event, listener] of Object.entries(props.on ?? {})) el.addEventListener(event, listener);
}

export function append(parent: Node, children: Child[]): void {
    for (const c of children) {
        if (c == null || c === false) continue;
        if (Array.isArray(c)) append(parent, c);
        else if (typeof c === "string" || typeof c === "number") parent.appendChild(document.createTextNode(String(c)));
        else parent.appendChild(c);
    }
}

/** Replace the children of `el`. */
export function replace(el: Element, ...children: Child[]): void {
    el.replaceChildren();
    append(el, children);
}

/**
 * Up/Down (and Home/End) move the focus between the elements `selector` matches inside `container`,
 * with a roving tab stop: Tab enters the list at its current item and leaves it in one step, so a
 * page of 50 samples costs one Tab, not 50. Call again after re-rendering the items.
 */
export function arrowNavigation(container: HTMLElement, selector: string): void {
    const items = () => [...container.querySelectorAll<HTMLElement>(selector)];
    const all = items();
    all.forEach((el, i) => (el.tabIndex = i === 0 ? 0 : -1));
    if (container.dataset.arrows === "1") return;
    container.dataset.arrows = "1";
    container.addEventListener("focusin", (event: FocusEvent) => {
        const list = items();
        if (!list.includes(event.target as HTMLElement)) return;
        for (const el of list) el.tabIndex = el === event.target ? 0 : -1;
    });
    container.addEventListener("keydown", (event: KeyboardEvent) => {
        if (!["ArrowDown", "ArrowUp", "Home", "End"].includes(event.key)) return;
        const list = items();
        const at = list.indexOf(document.activeElement as HTMLElement);
        if (at < 0) return;
        event.preventDefault();
        const next = event.key === "Home" ? 0 : event.key === "End" ? list.length - 1
            : Math.max(0, Math.min(list.length - 1, at + (event.key === "ArrowDown" ? 1 : -1)));
        list[next].focus();
    });
}
