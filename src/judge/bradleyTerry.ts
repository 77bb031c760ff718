// Bradley–Terry maximum-likelihood strengths from pairwise matches: P(i beats j) = σ(θ_i − θ_j).
// Unlike Elo it does not depend on the order of matches. Ties count as half a win for each side.
//
// A candidate that won (or lost) every game has no finite MLE, and strengths are only defined up to
// a shared constant. Both are fixed with a tiny prior: each candidate plays `prior` virtual wins and
// `prior` virtual losses against a phantom of strength θ = 0. The penalised log-likelihood
//   L(θ) = Σ_matches [s log σ(θ_a − θ_b) + (1 − s) log σ(θ_b − θ_a)] + prior Σ_i [log σ(θ_i) + log σ(−θ_i)]
// is strictly concave, so Newton's method with a backtracking line search finds its unique maximum
// in a handful of steps (n is small: candidates of one prompt).
import {checkCandidateCount} from "./MatchResult.js";
import type {MatchResult} from "./MatchResult.js";

export interface BradleyTerryOptions {
    /** Weight of the virtual win and loss each candidate gets against a phantom at θ = 0. Defaults to `0.01`. */
    prior?: number;
    /** Stop when every gradient component is below this. Defaults to `1e-10`. */
    tolerance?: number;
    /** Newton steps at most. Defaults to `100`. */
    maxIterations?: number;
}

export interface BradleyTerryResult {
    /** Log-strength θ per candidate, shifted to mean 0. P(i beats j) = 1 / (1 + exp(θ_j − θ_i)). */
    scores: number[];
    /** The same on the Elo scale: 1000 + 400·log10(e)·θ (a 400-point gap is 10:1 odds). */
    ratings: number[];
    /** Penalised log-likelihood at the optimum. */
    logLikelihood: number;
    iterations: number;
    converged: boolean;
}

/** Maximum-likelihood Bradley–Terry scores of candidates `0..n-1` from the scored `matches`. */
export function bradleyTerry(n: number, matches: readonly MatchResult[], options: BradleyTerryOptions = {}): BradleyTerryResult {
    checkCandidateCount(n);
    const prior = options.prior ?? 0.01;
    if (!(prior > 0)) throw new RangeError(`Bradley–Terry prior must be > 0 (it makes the scores unique), got ${prior}`);
    const tolerance = options.tolerance ?? 1e-10;
    const maxIterations = options.maxIterations ?? 100;
    const played = matches.filter((m) => m.score != null);
    let theta = new Array<number>(n).fill(0);
    let ll = logLikelihood(theta, played, prior);
    let iterations = 0;
    let converged = false;
    for (; iterations < maxIterations; iterations++) {
        const {gradient, negHessian} = derivatives(theta, played, prior);
        if (Math.max(...gradient.map(Math.abs)) < tolerance) {
            converged = true;
            break;
        }
        const step = choleskySolve(negHessian, gradient);
        // Backtrack until the penalised likelihood does not decrease (concave: a full step usually does).
        let t = 1;
        let next = theta;
        let nextLl = ll;
        for (let halvings = 0; halvings < 50; halvings++, t /= 2) {
            next = theta.map((x, i) => x + t * step[i]);
            nextLl = logLikelihood(next, played, prior);
            if (nextLl >= ll) break;
        }
        if (nextLl < ll) {
            // No step improves L in floating point: θ is the maximum to machine precision.
            converged = true;
            break;
        }
        theta = next;
        ll = nextLl;
    }
    const mean = theta.reduce((s, x) => s + x, 0) / n;
    const scores = theta.map((x) => x - mean);
    return {
        scores,
        ratings: scores.map((x) => 1000 + (400 / Math.LN10) * x),
        logLikelihood: ll,
        iterations,
        converged
    };
}

/** log σ(x), stable for large |x|. */
function logSigmoid(x: number): number {
    return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
}

function sigmoid(x: number): number {
    return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

function logLikelihood(theta: number[], matches: readonly MatchResult[], prior: number): number {
    let ll = 0;
    for (const m of matches) {
        const d = theta[m.a] - theta[m.b];
        ll += m.score! * logSigmoid(d) + (1 - m.score!) * logSigmoid(-d);
    }
    for (const x of theta) ll += prior * (logSigmoid(x) + logSigmoid(-x));
    return ll;
}

/** Gradient of L and −∇²L (positive definite thanks to the prior), both over θ. */
function derivatives(theta: number[], matches: readonly MatchResult[], prior: number): {gradient: number[], negHessian: number[][]} {
    const n = theta.length;
    const gradient = theta.map((x) => prior * (1 - 2 * sigmoid(x)));
    const negHessian = theta.map((x, i) => {
        const row = new Array<number>(n).fill(0);
        const p = sigmoid(x);
        row[i] = 2 * prior * p * (1 - p);
        return row;
    });
    for (const m of matches) {
        const p = sigmoid(theta[m.a] - theta[m.b]);
        const w = p * (1 - p);
        gradient[m.a] += m.score! - p;
        gradient[m.b] -= m.score! - p;
        negHessian[m.a][m.a] += w;
        negHessian[m.b][m.b] += w;
        negHessian[m.a][m.b] -= w;
        negHessian[m.b][m.a] -= w;
    }
    return {gradient, negHessian};
}

/** Solve A x = b for symmetric positive definite A (n × n) by Cholesky, A = L Lᵀ. */
function choleskySolve(a: number[][], b: number[]): number[] {
    const n = b.length;
    const l = Array.from({length: n}, () => new Array<number>(n).fill(0));
    for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
            let s = a[i][j];
            for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
            l[i][j] = i === j ? Math.sqrt(Math.max(s, 1e-300)) : s / l[j][j];
        }
    }
    const y = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
        let s = b[i];
        for (let k = 0; k < i; k++) s -= l[i][k] * y[k];
        y[i] = s / l[i][i];
    }
    const x = new Array<number>(n).fill(0);
    for (let i = n - 1; i >= 0; i--) {
        let s = y[i];
        for (let k = i + 1; k < n; k++) s -= l[k][i] * x[k];
        x[i] = s / l[i][i];
    }
    return x;
}
