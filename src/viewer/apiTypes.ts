// The JSON shapes of the viewer's HTTP API (`/api/...`), shared by the server (src/viewer/*.ts) and
// the page (src/viewer/client/*.mts). Pure types: no Node or DOM dependency, so both programs compile it.

/** A chat message as the page shows it. */
export interface ApiMessage {
    role: string;
    content: string;
}

/** One headline number of a run (a score, an accuracy, a loss). */
export interface Headline {
    label: string;
    value: number;
    /** `pct`: a fraction shown as a percentage; `num`: a plain number. */
    format: "pct" | "num";
}

/** What the page draws for a run folder: `eval` for judged samples, `train` for step metrics. */
export type RunCategory = "eval" | "judge" | "train" | "other";

/** One row of the runs list (`GET /api/runs`). */
export interface RunEntry {
    /** The folder's path relative to the viewer's root, "/"-separated (the root itself is its own name). */
    id: string;
    name: string;
    /** `run.json`'s `kind`, or null when it has none. */
    kind: string | null;
    category: RunCategory;
    /** The judge or model (engine identities, or `config.model`). */
    model: string | null;
    /** ISO time from `run.json`. */
    startedAt: string | null;
    /** Modification time of the newest run file, ISO. */
    updatedAt: string | null;
    headline: Headline[];
    /** Which of the run files exist. */
    files: string[];
    /** Problems that do not stop the run from being shown. */
    warnings: string[];
    /** Why the folder cannot be shown (then nothing else is filled in). */
    error: string | null;
}

export interface RunsResponse {
    root: string;
    runs: RunEntry[];
}

/** How a judged sample came out. `unlabelled`: a judgment without a known better reply. */
export type SampleResult = "correct" | "wrong" | "tie" | "error" | "unlabelled";

/** One row of a run's sample list: the facts the filters use, and a short preview. */
export interface SampleRow {
    /** 0-based position among the run's readable sample lines (stable while the file only grows). */
    index: number;
    /** 1-based line in samples.jsonl. */
    line: number;
    id: string;
    benchmark: string | null;
    /** The filter group: RewardBench subset, RM-Bench domain, RMB section; null when none. */
    group: string | null;
    chosenPosition: "A" | "B" | null;
    verdict: "A" | "B" | "tie" | "error" | null;
    outcome: number | null;
    result: SampleResult;
    /** The task type of the (first) trace. */
    type: "Reasoning" | "Chat" | null;
    /** Format violations of the (first) trace. */
    violations: number;
    /** The start of the last user message. */
    preview: string;
}

/** A group of samples with its score, for the bars and the group filter. */
export interface GroupStat {
    key: string;
    benchmark: string | null;
    label: string;
    /** Samples in the group. */
    count: number;
    /** Samples judged right. */
    correct: number;
    /** The benchmark's own score for the group (subset accuracy, domain value, section score) or plain accuracy. */
    value: number;
    /** What `value` is, for the legend. */
    measure: string;
    /** The published RM-R1 32B numbers for the same group, when released. */
    released: {model: string, value: number}[];
}

export interface PositionStat {
    /** Labelled samples with the chosen reply in this position and an A/B/tie/error verdict. */
    n: number;
    correct: number;
    accuracy: number | null;
}

/** Position bias of the judge over a run (first order of each sample). */
export interface PositionBias {
    chosenInA: PositionStat;
    chosenInB: PositionStat;
    /** Verdicts A and B (ties and errors excluded). */
    verdictsAB: number;
    /** Share of A among A/B verdicts. */
    aShare: number | null;
    /** accuracy(chosen in A) − accuracy(chosen in B). */
    delta: number | null;
}

/** A line that could not be read or scored. */
export interface LineProblem {
    line: number;
    message: string;
}

/** The eval part of a run (`samples.jsonl`). */
export interface EvalSummary {
    total: number;
    benchmarks: string[];
    verdicts: {A: number, B: number, tie: number, error: number};
    results: Record<SampleResult, number>;
    /** Samples whose trace breaks the Chain-of-Rubrics format. */
    formatIssues: number;
    groups: GroupStat[];
    bias: PositionBias;
    /** The paper-layout report (Markdown by `renderBenchReport`), null without benchmark lines. */
    report: string | null;
    /** The scores the report was computed from, keyed by benchmark (plus `average`). */
    scores: Record<string, unknown> | null;
    /** Error rule and RM-Bench mapping the scores used. */
    rules: string;
    rmbenchMapping: string;
    /** Why the samples could not be scored (the report then comes from report.md if present). */
    scoreError: string | null;
    /** Lines that are not JSON (first 20) and how many there are. */
    unreadable: LineProblem[];
    unreadableCount: number;
    /** Lines that are JSON but not valid benchmark samples (first 20) and how many. */
    unscored: LineProblem[];
    unscoredCount: number;
}

/** A run's numeric metric over steps. */
export interface Series {
    key: string;
    label: string;
    /** [step, value] pairs, at most ~800 (evenly thinned, the first and last kept). */
    points: [number, number][];
    /** Points before thinning. */
    count: number;
    last: number;
    min: number;
    max: number;
}

/** The training part of a run (`metrics.jsonl`, rollouts). */
export interface TrainSummary {
    steps: number;
    series: Series[];
    /** The last step line as written. */
    last: Record<string, unknown> | null;
    /** Steps that have sample rollouts. */
    rolloutSteps: number[];
    rolloutFile: string | null;
    unreadable: LineProblem[];
    unreadableCount: number;
}

export interface RunDetail extends RunEntry {
    /** `run.json` as written. */
    info: Record<string, unknown> | null;
    /** `scores.json` as written. */
    scoresFile: Record<string, unknown> | null;
    eval: EvalSummary | null;
    train: TrainSummary | null;
}

export interface SamplesResponse {
    total: number;
    offset: number;
    limit: number;
    /** Samples in the run before filtering. */
    all: number;
    rows: SampleRow[];
}

/** Where a quote was found: a message of the prompt or of one reply, UTF-16 offsets into its content. */
export interface TextRange {
    part: string;
    message: number;
    start: number;
    end: number;
}

/** A quote or summary of a trace, with where it points. */
export interface CitationView {
    side: "A" | "B";
    kind: "quote" | "summary";
    text: string;
    /** Offsets into the output text. */
    start: number;
    end: number;
    /** The reply shown at `side` (`chosen`/`rejected`, or `first`/`second`), null when the sample has no replies. */
    target: string | null;
    /** `exact`/`normalized`: the whole quote found; `partial`: some fragments; `none`: not found; `summary`: cites the whole reply. */
    match: "exact" | "normalized" | "partial" | "none" | "summary";
    ranges: TextRange[];
}

/** Chain-of-Rubrics sections of one output (`parseCor`). */
export interface CorView {
    type: "Reasoning" | "Chat" | null;
    solution: string | null;
    rubric: {text: string, items: {text: string, weight?: number}[], justify: string | null} | null;
    eval: {text: string, citations: unknown[]} | null;
    verdict: "A" | "B" | null;
    violations: string[];
    think: string | null;
}

/** One judge output, ready to draw. */
export interface TraceView {
    text: string;
    /** Where the chosen (or first) reply sat for this output. */
    position: "A" | "B" | null;
    /** Which reply each position showed. */
    sides: {A: string | null, B: string | null};
    /** The verdict read from this output (as recorded, else the CoR verdict). */
    verdict: string | null;
    cor: CorView;
    /** Offsets of the evaluation's text in `text` (so citations can be drawn in place). */
    evalRange: {start: number, end: number} | null;
    citations: CitationView[];
    /** Labels of this output (sample k, attempt, order). */
    label: string;
}

/** One reply of a sample (or the prompt): its messages. */
export interface ReplyView {
    key: string;
    label: string;
    messages: ApiMessage[];
}

export interface SampleDetail {
    row: SampleRow;
    /** Small fields of the line (ids, subset, order, usage, latency ...), as written. */
    fields: Record<string, unknown>;
    prompt: ApiMessage[];
    replies: ReplyView[];
    outputs: TraceView[];
    /** Neighbours in the filtered list, for keyboard paging. */
    prev: number | null;
    next: number | null;
    /** Position in the filtered list (0-based) and its size. */
    position: number | null;
    filtered: number;
}

/** One training rollout. */
export interface RolloutView {
    index: number;
    line: number;
    step: number;
    reward: number | null;
    label: string | null;
    /** The question (or the prompt as written when it is not a rendered judge prompt). */
    prompt: ApiMessage[];
    /** The two answers recovered from a rendered judge prompt; empty otherwise. */
    replies: ReplyView[];
    trace: TraceView;
    fields: Record<string, unknown>;
}

export interface RolloutsResponse {
    step: number;
    total: number;
    rollouts: RolloutView[];
}

/** One number of two runs side by side. */
export interface DiffRow {
    section: string;
    key: string;
    a: number | null;
    b: number | null;
    format: "pct" | "num";
}

/** Per-sample agreement of two evaluations over the ids they share. */
export interface Agreement {
    matched: number;
    onlyInA: number;
    onlyInB: number;
    bothCorrect: number;
    onlyACorrect: number;
    onlyBCorrect: number;
    bothWrong: number;
    /** Matched samples where both preferred the same reply. */
    samePreference: number;
}

export type AgreementClass = "bothCorrect" | "onlyACorrect" | "onlyBCorrect" | "bothWrong";
/** What `/api/compare/samples?class=` accepts: a class, `disagree` (exactly one run right) or `all`. */
export type AgreementFilter = AgreementClass | "disagree" | "all";

export interface CompareResponse {
    a: RunEntry;
    b: RunEntry;
    rows: DiffRow[];
    agreement: Agreement | null;
    /** Training metrics both runs have. */
    series: {key: string, label: string, a: Series | null, b: Series | null}[];
}

export interface CompareSampleRow {
    key: string;
    id: string;
    benchmark: string | null;
    group: string | null;
    a: SampleRow;
    b: SampleRow;
    class: AgreementClass;
}

export interface CompareSamplesResponse {
    total: number;
    offset: number;
    limit: number;
    rows: CompareSampleRow[];
}

/** Every error answer of the API. */
export interface ApiError {
    error: string;
}
