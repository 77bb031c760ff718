import {execFileSync} from "node:child_process";
import {describe, expect, it} from "vitest";
import {DeadlineList} from "./DeadlineList.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("DeadlineList", () => {
    it("expires what is not cleared, in order, no earlier than its time limit", async () => {
        const list = new DeadlineList(60);
        const expired: {name: string, late: number}[] = [];
        const start = (name: string) => {
            const deadline = list.start(() => expired.push({name, late: performance.now() - deadline.at}));
            return deadline;
        };
        const a = start("a");
        const b = start("b");
        await sleep(20);
        start("c");
        const d = start("d");
        list.clear(b);
        list.clear(d);
        expect(list.size).toBe(2);
        await sleep(150);
        expect(expired.map((e) => e.name)).toEqual(["a", "c"]);
        expect(expired.every((e) => e.late >= 0)).toBe(true);
        expect(list.size).toBe(0);
        list.clear(a); // after expiry: nothing happens
        list.clear(b); // twice: nothing happens
        expect(list.size).toBe(0);
    });

    it("keeps timing deadlines that start after the head was cleared", async () => {
        const list = new DeadlineList(50);
        const fired: {name: string, late: number}[] = [];
        list.clear(list.start(() => fired.push({name: "cleared", late: 0})));
        await sleep(30);
        // The timer set for the cleared head fires before this deadline: it must set itself again.
        const later = list.start(() => fired.push({name: "later", late: performance.now() - later.at}));
        for (let waited = 0; fired.length === 0 && waited < 2000; waited += 10) await sleep(10);
        expect(fired.map((f) => f.name)).toEqual(["later"]);
        expect(fired[0].late).toBeGreaterThanOrEqual(0);
    });

    it("does not keep a process alive once its deadlines are cleared", () => {
        // A CLI that made one request with a 10-minute limit must exit when it is done, not 10 minutes later.
        const script = `import {DeadlineList} from ${JSON.stringify(new URL("./DeadlineList.ts", import.meta.url).href)};
            const list = new DeadlineList(600000);
            list.clear(list.start(() => console.log("expired")));`;
        // execFileSync throws if the child is still running after 20 s.
        const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {encoding: "utf8", timeout: 20_000});
        expect(out).toBe("");
    });
});
