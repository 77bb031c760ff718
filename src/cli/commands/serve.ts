// `rmr1 serve`: a reward server for RLHF trainers and apps (judge, rank, OpenRLHF /get_reward,
// OpenAI chat completions, health and Prometheus metrics). A thin wrapper over `startServer`.
import {createEngine} from "../../engines/createEngine.js";
import type {Engine} from "../../engines/Engine.js";
import {rewardNames} from "../../protocol/rewards.js";
import {startServer} from "../../serve/RewardServer.js";
import {rewardModes} from "../../serve/RewardService.js";
import {bool, int, oneOf, parseFlags, str} from "../args.js";
import type {FlagSpec} from "../args.js";
import type {Command} from "../Command.js";
import {engineOptionsFrom, threadsFlag} from "../engineFlags.js";
import {judgeFlags, judgeFlagsHelp, judgeOptionsFrom} from "./judge.js";

const {input: _input, output: _output, jobs: _jobs, ...sharedJudgeFlags} = judgeFlags;

const serveFlags: FlagSpec = {
    ...sharedJudgeFlags,
    host: {type: "string"},
    port: {type: "string"},
    token: {type: "string"},
    ...threadsFlag,
    "reward-mode": {type: "string"},
    "verifiable-reward": {type: "string"},
    "reference-reward": {type: "string"},
    "group-method": {type: "string"},
    "group-size": {type: "string"},
    "group-wait": {type: "string"},
    "pad-token": {type: "string"},
    "max-body-bytes": {type: "string"},
    "max-items": {type: "string"},
    "max-candidates": {type: "string"},
    "max-concurrent": {type: "string"},
    "max-queue": {type: "string"},
    timeout: {type: "string"},
    "no-batching": {type: "boolean"},
    "model-name": {type: "string"}
};

export const serveCommand: Command = {
    name: "serve",
    summary: "serve a judge over HTTP: /v1/judge, /v1/rank, OpenRLHF /get_reward, OpenAI chat, /metrics",
    usage: `Usage: rmr1 serve [--model PROVIDER] [--host H] [--port P] [--token T] [options]

Routes (docs/serve-api.md):
  POST /v1/judge             one pair or {"pairs": [...]} → judgments with traces
  POST /v1/rank              {"prompt", "candidates", "method"} → ranking
  POST /get_reward           OpenRLHF remote reward: {"query","prompts","labels"} →
                             {"rewards","scores","extra_logs"}; ?mode=rm-r1|reference|group
  POST /v1/chat/completions  OpenAI chat completions with the served model (stream supported)
  GET  /v1/models, /healthz (no token needed), /metrics (Prometheus)

Without --model only /get_reward in mode rm-r1 works (it needs no model: the query is the reward
model's own output and the reward is the verifiable +1/-1 of RM-R1). Binding beyond 127.0.0.1
needs a bearer token (--token or RMR1_TOKEN); with one set, every route but /healthz requires
'Authorization: Bearer <token>'. SIGTERM / Ctrl-C drains: in-flight requests finish first.
See docs/serving.md.

Server:
  --host H             interface to bind (default 127.0.0.1)
  --port P             port, 0 for any free one (default 5000)
  --token T            bearer token (default RMR1_TOKEN; required beyond loopback)
  --max-concurrent N   requests worked on at once (default 64)
  --max-queue N        requests waiting for a slot; more get 429 + Retry-After (default 256)
  --timeout S          deadline per request in seconds, queue wait included (default 170)
  --max-body-bytes N   largest request body (default 8388608)
  --max-items N        pairs / queries / rank items per request (default 256)
  --max-candidates N   candidates per ranking (default 32)
  --no-batching        do not merge concurrent engine calls (default: merge for native:/gguf:)
  --model-name NAME    model name reported to OpenAI clients (default the provider string)
  --threads N          CPU threads of an in-process engine (native:, gguf:)
  -q, --quiet          no per-request log lines on stderr

Rewards (/get_reward):
  --reward-mode M      ${rewardModes.join(", ")} (default rm-r1)
  --verifiable-reward R  rm-r1 mode: ${rewardNames.join(", ")} (default rm-r1: +1/-1, tail 80)
  --reference-reward R reference mode: sign (+1/0/-1) or probability (default sign)
  --group-method M     group mode: win-rate or bradley-terry (default win-rate)
  --group-size N       group mode: samples per prompt, OpenRLHF's n_samples_per_prompt (default 7)
  --group-wait S       group mode: seconds to wait for a group to fill (default 120)
  --pad-token T        rm-r1 mode: padding token to strip from the end of queries (default none)

Judge (for /v1/judge, /v1/rank and the policy reward modes):
${judgeFlagsHelp.replace(/^ {2}-q, --quiet.*$/m, "").replace("... (required)", "... (default none: /get_reward mode rm-r1 only)").trimEnd()}
`,
    async run(argv) {
        const args = parseFlags(argv, serveFlags, {allowPositionals: false});
        const token = str(args, "token") ?? process.env.RMR1_TOKEN;
        const options = judgeOptionsFrom(args);
        const model = str(args, "model");
        const quiet = bool(args, "quiet");
        const limits = {
            maxBodyBytes: int(args, "max-body-bytes", 8 * 1024 * 1024, 1024),
            maxItems: int(args, "max-items", 256, 1),
            maxCandidates: int(args, "max-candidates", 32, 2),
            maxConcurrent: int(args, "max-concurrent", 64, 1),
            maxQueue: int(args, "max-queue", 256, 0),
            timeoutMs: int(args, "timeout", 170, 1) * 1000
        };
        const reward = {
            mode: oneOf(args, "reward-mode", rewardModes, "rm-r1"),
            verifiable: oneOf(args, "verifiable-reward", rewardNames, "rm-r1"),
            referenceMode: oneOf(args, "reference-reward", ["sign", "probability"] as const, "sign"),
            groupMethod: oneOf(args, "group-method", ["win-rate", "bradley-terry"] as const, "win-rate"),
            groupSize: int(args, "group-size", 7, 2),
            groupWaitMs: int(args, "group-wait", 120, 1) * 1000,
            padToken: str(args, "pad-token")
        };
        const host = str(args, "host", "127.0.0.1")!;
        const port = int(args, "port", 5000, 0, 65535);
        let engine: Engine | null = null;
        if (model != null) engine = await createEngine(model, engineOptionsFrom(args));
        let server;
        try {
            server = await startServer({
                engine, host, port, token, judge: options, reward, limits,
                batching: bool(args, "no-batching") ? false : undefined,
                modelName: str(args, "model-name"),
                log: quiet ? undefined : (line) => process.stderr.write(`rmr1 serve: ${line}\n`)
            });
        } catch (e) {
            await engine?.close();
            throw e;
        }
        const auth = token != null && token !== "" ? "bearer token required" : "no token (loopback only)";
        process.stdout.write(`rmr1 serve: listening on ${server.url} (model ${engine?.id ?? "none"}, reward mode ${reward.mode}, ${auth})\n`);
        await new Promise<void>((resolve) => {
            let stopping = false;
            const onSignal = (signal: string) => {
                if (stopping) {
                    process.stderr.write(`rmr1 serve: ${signal} again, exiting now\n`);
                    process.exit(130);
                }
                stopping = true;
                process.stderr.write(`rmr1 serve: ${signal}: draining (${server.inFlight} in flight, ${server.queued} queued); ${signal} again to exit now\n`);
                void server.close().then(resolve);
            };
            process.on("SIGTERM", () => onSignal("SIGTERM"));
            process.on("SIGINT", () => onSignal("SIGINT"));
        });
        await engine?.close();
        process.stderr.write("rmr1 serve: stopped\n");
        return 0;
    }
};
