// NumPy's `default_rng(seed).permutation(n)`, bit for bit: SeedSequence → PCG64 (XSL-RR 128/64) →
// `Generator.shuffle`'s Fisher–Yates with bounded-mask rejection sampling (`random_interval`).
//
// Hugging Face `Dataset.shuffle(seed=s)` is `select(np.random.default_rng(s).permutation(len))`, so
// this reproduces which rows RM-R1's mix_data.py took from Code-Preference-Pairs. Golden
// permutations from NumPy are in test/fixtures/data/numpy-permutations.json (see its README).

const MASK32 = 0xffffffffn;
const MASK64 = (1n << 64n) - 1n;
const MASK128 = (1n << 128n) - 1n;

// SeedSequence constants (numpy/random/bit_generator.pyx).
const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const XSHIFT = 16;
const POOL_SIZE = 4;

/** A Python integer seed as NumPy splits it: 32-bit words, least significant first (0 → [0]). */
function seedWords(seed: number | bigint): number[] {
    let n = BigInt(seed);
    if (n < 0n) throw new RangeError(`a NumPy seed must be non-negative, got ${seed}`);
    if (n === 0n) return [0];
    const words: number[] = [];
    while (n > 0n) {
        words.push(Number(n & MASK32));
        n >>= 32n;
    }
    return words;
}

/** NumPy's `SeedSequence(seed)` (no spawn key): mixes the seed into a 4-word pool. */
export class SeedSequence {
    readonly pool: Uint32Array;

    constructor(seed: number | bigint) {
        const entropy = seedWords(seed);
        const pool = new Uint32Array(POOL_SIZE);
        let hashConst = INIT_A;
        const hashmix = (value: number): number => {
            value = (value ^ hashConst) >>> 0;
            hashConst = Math.imul(hashConst, MULT_A) >>> 0;
            value = Math.imul(value, hashConst) >>> 0;
            return (value ^ (value >>> XSHIFT)) >>> 0;
        };
        const mix = (x: number, y: number): number => {
            const result = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
            return (result ^ (result >>> XSHIFT)) >>> 0;
        };
        for (let i = 0; i < POOL_SIZE; i++) pool[i] = hashmix(i < entropy.length ? entropy[i] : 0);
        for (let src = 0; src < POOL_SIZE; src++) {
            for (let dst = 0; dst < POOL_SIZE; dst++) {
                if (src !== dst) pool[dst] = mix(pool[dst], hashmix(pool[src]));
            }
        }
        for (let src = POOL_SIZE; src < entropy.length; src++) {
            for (let dst = 0; dst < POOL_SIZE; dst++) pool[dst] = mix(pool[dst], hashmix(entropy[src]));
        }
        this.pool = pool;
    }

    /** `generate_state(nWords, np.uint32)`. */
    generateState32(nWords: number): Uint32Array {
        const out = new Uint32Array(nWords);
        let hashConst = INIT_B;
        for (let i = 0; i < nWords; i++) {
            let value = (this.pool[i % POOL_SIZE] ^ hashConst) >>> 0;
            hashConst = Math.imul(hashConst, MULT_B) >>> 0;
            value = Math.imul(value, hashConst) >>> 0;
            out[i] = (value ^ (value >>> XSHIFT)) >>> 0;
        }
        return out;
    }

    /** `generate_state(nWords, np.uint64)`: pairs of 32-bit words read little-endian. */
    generateState64(nWords: number): bigint[] {
        const words = this.generateState32(nWords * 2);
        const out: bigint[] = [];
        for (let i = 0; i < nWords; i++) out.push(BigInt(words[2 * i]) | (BigInt(words[2 * i + 1]) << 32n));
        return out;
    }
}

const PCG_MULT = 0x2360ed051fc65da44385df649fccf645n;

/** NumPy's `PCG64` bit generator (PCG XSL-RR 128/64 with a buffered 32-bit half). */
export class Pcg64 {
    private state = 0n;
    private readonly inc: bigint;
    private hasUint32 = false;
    private uinteger = 0;

    constructor(seed: number | bigint) {
        const [s0, s1, i0, i1] = new SeedSequence(seed).generateState64(4);
        const initState = (s0 << 64n) | s1;
        const initSeq = (i0 << 64n) | i1;
        // pcg_setseq_128_srandom_r
        this.inc = ((initSeq << 1n) | 1n) & MASK128;
        this.step();
        this.state = (this.state + initState) & MASK128;
        this.step();
    }

    private step(): void {
        this.state = (this.state * PCG_MULT + this.inc) & MASK128;
    }

    /** Next 64-bit output (as a bigint). */
    nextUint64(): bigint {
        this.step();
        const s = this.state;
        const xored = ((s >> 64n) ^ s) & MASK64;
        const rot = s >> 122n;
        return ((xored >> rot) | (xored << ((64n - rot) & 63n))) & MASK64;
    }

    /** Next 32-bit output: the low half of a fresh 64-bit draw, then its high half. */
    nextUint32(): number {
        if (this.hasUint32) {
            this.hasUint32 = false;
            return this.uinteger;
        }
        const next = this.nextUint64();
        this.hasUint32 = true;
        this.uinteger = Number(next >> 32n);
        return Number(next & MASK32);
    }

    /** `random_interval(max)`: uniform in [0, max] by masking and rejection. */
    interval(max: number): number {
        if (max === 0) return 0;
        if (max <= 0xffffffff) {
            let mask = max;
            mask |= mask >>> 1;
            mask |= mask >>> 2;
            mask |= mask >>> 4;
            mask |= mask >>> 8;
            mask |= mask >>> 16;
            mask >>>= 0;
            let value: number;
            do value = (this.nextUint32() & mask) >>> 0; while (value > max);
            return value;
        }
        const big = BigInt(max);
        let mask = big;
        for (const shift of [1n, 2n, 4n, 8n, 16n, 32n]) mask |= mask >> shift;
        let value: bigint;
        do value = this.nextUint64() & mask; while (value > big);
        return Number(value);
    }
}

/**
 * `numpy.random.default_rng(seed).permutation(n)`, identical to NumPy ≥ 1.17 (verified against
 * NumPy 1.24 goldens). Also what Hugging Face `Dataset.shuffle(seed=seed)` selects.
 */
export function numpyPermutation(n: number, seed: number | bigint): number[] {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`permutation size must be a non-negative integer, got ${n}`);
    const rng = new Pcg64(seed);
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = i;
    // Generator.shuffle → _shuffle_raw(n, first=1): for i in reversed(range(1, n)).
    for (let i = n - 1; i >= 1; i--) {
        const j = rng.interval(i);
        const tmp = out[i];
        out[i] = out[j];
        out[j] = tmp;
    }
    return out;
}
