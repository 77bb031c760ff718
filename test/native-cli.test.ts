// End-to-end tests of `rmr1 model init` and `rmr1 model info` through the CLI entry point `main()`
// (stdout/stderr captured), and of the checkpoint they write: it loads into the native engine.
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {initParams, loadCheckpoint, modelPresets, NativeEngine, resolveModelConfig} from "../src/index.js";
import {runCli} from "./helpers/runCli.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-native-cli-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("rmr1 model init / info", () => {
    it("writes a seeded checkpoint that model info describes and the native engine loads", async () => {
        const out = join(dir, "tiny");
        const init = await runCli(["model", "init", "--config", "tiny", "--out", out, "--seed", "5"]);
        expect(init.code).toBe(0);
        expect(init.stdout).toContain("871,552 parameters");
        const loaded = await loadCheckpoint(out);
        expect(loaded.config).toEqual(modelPresets.tiny);
        expect(loaded.meta.seed).toBe(5);
        expect(loaded.params.get("model.layers.2.mlp.down_proj.weight")).toEqual(initParams(modelPresets.tiny, 5).get("model.layers.2.mlp.down_proj.weight"));

        const info = await runCli(["model", "info", out, "--json"]);
        expect(info.code).toBe(0);
        const json = JSON.parse(info.stdout);
        expect(json.parameters).toBe(871_552);
        expect(json.files.map((f: {name: string}) => f.name)).toContain("model.safetensors");
        const text = await runCli(["model", "info", out, "--tensors"]);
        expect(text.stdout).toContain("lm_head.weight");

        const engine = await NativeEngine.load(out, {threads: 1});
        try {
            expect(engine.identity).toContain(json.weightsSha256);
            const [r] = await engine.generate([{messages: [{role: "user", content: "hi"}], options: {maxTokens: 3, temperature: 1, seed: 1}}]);
            expect(r.usage.completionTokens).toBeGreaterThan(0);
        } finally {
            await engine.close();
        }
    });

    it("initialisation is seeded: same seed same bits, other seed other bits", () => {
        const a = initParams(modelPresets.tiny, 1).get("model.embed_tokens.weight")!;
        const b = initParams(modelPresets.tiny, 1).get("model.embed_tokens.weight")!;
        const c = initParams(modelPresets.tiny, 2).get("model.embed_tokens.weight")!;
        expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
        expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
        // N(0, 0.02): the sample standard deviation of 33,792 draws is within 2% of 0.02.
        const sd = Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length);
        expect(Math.abs(sd - 0.02)).toBeLessThan(0.0004);
    });

    it("reads config files (ModelConfig fields over a preset, or a Hugging Face config.json) and names bad fields", async () => {
        const custom = join(dir, "custom.json");
        writeFileSync(custom, JSON.stringify({preset: "tiny", dModel: 192, nHeads: 6, nKvHeads: 2}));
        expect(resolveModelConfig(custom)).toEqual({...modelPresets.tiny, dModel: 192, nHeads: 6, nKvHeads: 2});
        const out = join(dir, "small");
        expect((await runCli(["model", "init", "--config", "small", "--out", out])).code).toBe(0);
        expect(resolveModelConfig(join(out, "config.json"))).toEqual(modelPresets.small);

        const bad = join(dir, "bad.json");
        writeFileSync(bad, JSON.stringify({preset: "tiny", dModel: 130}));
        const r = await runCli(["model", "init", "--config", bad, "--out", join(dir, "x")]);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/bad\.json: 'dModel' \(130\) must be a multiple of 'nHeads'/);
        expect((await runCli(["model", "init", "--config", "huge", "--out", join(dir, "y")])).stderr).toMatch(/unknown model config 'huge'/);
        expect((await runCli(["model", "init", "--config", "tiny", "--out", out])).stderr).toMatch(/already exists.*--force/);
        expect((await runCli(["model", "info", join(dir, "nope")])).stderr).toMatch(/does not exist/);
    });
});
