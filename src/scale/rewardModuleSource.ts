// The Python reward module `rmr1 launch` writes beside a job script: one file that both trainers
// load. veRL calls `compute_score(data_source, solution_str, ground_truth, extra_info)` (or
// `compute_score_batched` with its batch reward manager); OpenRLHF calls `reward_func(queries,
// prompts, labels)` when `--reward.remote_url` / `--remote_rm_url` names a `.py` file. Each either
// applies RM-R1's rule locally (the reference's own lines, method doc §2.3(a)) or asks `rmr1 serve`
// over OpenRLHF's HTTP protocol with a bearer token, which the trainers' built-in HTTP client cannot
// send. Only the Python standard library is used (torch when present, for OpenRLHF's tensors).

export interface RewardModuleOptions {
    /** `local` (the rule in Python) or `server` (POST to rmr1 serve), unless `RMR1_REWARD_MODE` says otherwise. */
    defaultMode: "local" | "server";
    /** `/get_reward` URL(s), comma-separated, unless `RMR1_REWARD_URL` says otherwise. */
    defaultUrl: string;
}

/** The module's source text. */
export function rewardModuleSource(options: RewardModuleOptions): string {
    if (/["\\\n]/.test(options.defaultUrl)) throw new Error("the reward URL must not contain quotes, backslashes or newlines");
    return `"""RM-R1 rewards for RLHF trainers, written by \`rmr1 launch\` (docs/scale-out.md).

veRL:      custom_reward_function.path=<this file> custom_reward_function.name=compute_score
           (compute_score_batched with reward_model.reward_manager=batch)
OpenRLHF:  --reward.remote_url <this file>   (or --remote_rm_url <this file> before 0.10)

Environment:
  RMR1_REWARD_MODE  local: apply RM-R1's rule here, no server (+1 when the last 80 characters of the
                    response hold the correct tagged verdict and not the other, else -1);
                    server: POST to \`rmr1 serve\` /get_reward. Default: ${options.defaultMode}.
  RMR1_REWARD_URL   the server's /get_reward URL; several, comma-separated, are tried in turn.
                    Default: ${options.defaultUrl}
  RMR1_TOKEN        bearer token of the server (or RMR1_TOKEN_FILE: a file holding it).
"""
import json
import os
import random
import time
import urllib.error
import urllib.request

DEFAULT_MODE = "${options.defaultMode}"
DEFAULT_URL = "${options.defaultUrl}"
TAG_A = "<answer>[[A]]</answer>"
TAG_B = "<answer>[[B]]</answer>"


def lm_as_judge_match(data_source, solution_str, ground_truth, extra_info=None):
    """The RM-R1 RL reward as rm_r1/verl/utils/reward_score/lm_as_judge.py computes it."""
    tail = solution_str[-80:]                       # last 80 characters (Python code points)
    if ground_truth == "model_a":  reward = +1.0 if ("<answer>[[A]]</answer>" in tail and "<answer>[[B]]</answer>" not in tail) else -1.0
    elif ground_truth == "model_b": reward = +1.0 if ("<answer>[[B]]</answer>" in tail and "<answer>[[A]]</answer>" not in tail) else -1.0
    else: raise NotImplementedError("Check your dataset label!")
    return reward


def _mode():
    mode = os.environ.get("RMR1_REWARD_MODE", DEFAULT_MODE)
    if mode not in ("local", "server"):
        raise ValueError("RMR1_REWARD_MODE must be local or server, got %r" % mode)
    return mode


def _token():
    path = os.environ.get("RMR1_TOKEN_FILE")
    if path:
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    return os.environ.get("RMR1_TOKEN", "")


def _post(payload, tries=5):
    """POST to rmr1 serve as OpenRLHF does (180 s timeout, 5 tries), with the bearer token."""
    urls = [u.strip() for u in os.environ.get("RMR1_REWARD_URL", DEFAULT_URL).split(",") if u.strip()]
    headers = {"Content-Type": "application/json"}
    token = _token()
    if token:
        headers["Authorization"] = "Bearer " + token
    data = json.dumps(payload).encode("utf-8")
    start = random.randrange(len(urls))
    last = None
    for attempt in range(tries):
        url = urls[(start + attempt) % len(urls)]
        wait = 1.0
        try:
            request = urllib.request.Request(url, data=data, headers=headers, method="POST")
            with urllib.request.urlopen(request, timeout=180) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            body = e.read().decode("utf-8", "replace")
            if e.code in (400, 401, 403, 404, 405, 413):
                raise RuntimeError("rmr1 serve refused the request at %s (HTTP %d): %s" % (url, e.code, body))
            last = "HTTP %d: %s" % (e.code, body)
            retry_after = e.headers.get("Retry-After", "")
            if retry_after.isdigit():
                wait = min(float(retry_after), 30.0)
        except (urllib.error.URLError, OSError, ValueError) as e:
            last = "%s: %s" % (url, e)
        time.sleep(wait)
    raise RuntimeError("rmr1 serve did not answer after %d tries (%s)" % (tries, last))


def _has_verdict(text):
    tail = text[-80:]
    return 1.0 if (TAG_A in tail) != (TAG_B in tail) else 0.0


def compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs):
    """veRL: the reward of one decoded response."""
    if _mode() == "local":
        return lm_as_judge_match(data_source, solution_str, ground_truth, extra_info)
    answer = _post({"query": [solution_str], "labels": [ground_truth]})
    return float(answer["rewards"][0])


def compute_score_batched(data_sources, solution_strs, ground_truths, extra_infos=None, **kwargs):
    """veRL batch reward manager: one reward per response, in one server call."""
    if _mode() == "local":
        return [lm_as_judge_match(d, s, g) for d, s, g in zip(data_sources, solution_strs, ground_truths)]
    answer = _post({"query": list(solution_strs), "labels": list(ground_truths)})
    return [float(r) for r in answer["rewards"]]


def _response(query, prompt):
    """The response part of an OpenRLHF query (prompt + response), as rmr1 serve reads it."""
    if prompt:
        if query.startswith(prompt):
            return query[len(prompt):]
        at = query.rfind(prompt)
        if at >= 0:
            return query[at + len(prompt):]
    return query


def reward_func(queries, prompts, labels, **kwargs):
    """OpenRLHF: rewards, scores (in [0, 1]) and per-sample logs for (prompt + response) queries."""
    if _mode() == "local":
        responses = [_response(q, p) for q, p in zip(queries, prompts)]
        rewards = [lm_as_judge_match(None, r, l) for r, l in zip(responses, labels)]
        answer = {
            "rewards": rewards,
            "scores": [(r + 1.0) / 2.0 for r in rewards],
            "extra_logs": {"correct": [1.0 if r > 0 else 0.0 for r in rewards], "has_verdict": [_has_verdict(r) for r in responses]},
        }
    else:
        answer = _post({"query": list(queries), "prompts": list(prompts), "labels": list(labels)})
    try:
        import torch
    except ImportError:  # outside a trainer (tests, scripts): plain lists
        return answer
    return {
        "rewards": torch.tensor(answer["rewards"], dtype=torch.float),
        "scores": torch.tensor(answer.get("scores", answer["rewards"]), dtype=torch.float),
        "extra_logs": {k: torch.tensor(v, dtype=torch.float) for k, v in answer.get("extra_logs", {}).items()},
    }
`;
}
