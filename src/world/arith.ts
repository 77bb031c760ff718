// The `arith` family's rules: expressions of 1–3 binary operators from `+ - *` over non-negative
// integer operands, evaluated with the usual precedence, and the reply format the world uses:
// the steps in evaluation order, one per line as `a op b = c`, then `Answer: N` (or `Answer: N`
// alone). Negative values are written `-28`. The generator, the teacher and the policy scorer all
// use these functions, so there is one definition of "correct".

export type ArithOp = "+" | "-" | "*";

/** `operands[0] ops[0] operands[1] ops[1] …`; `operands.length === ops.length + 1`. */
export interface Expression {
    operands: number[];
    ops: ArithOp[];
}

/** One evaluation step `left op right = result`. */
export interface ArithStep {
    left: number;
    op: ArithOp;
    right: number;
    result: number;
}

/** Evaluation order: the usual precedence (every `*` first, left to right, then `+ -` left to right), or plain left to right (the "precedence ignored" mistake). */
export type EvaluationOrder = "precedence" | "left-to-right";

/** `47 + 38 * 2`: single spaces around operators. */
export function formatExpression(expression: Expression): string {
    let text = formatNumber(expression.operands[0]);
    for (let i = 0; i < expression.ops.length; i++) text += ` ${expression.ops[i]} ${formatNumber(expression.operands[i + 1])}`;
    return text;
}

const expressionPattern = /^(\d{1,9})((?: [-+*] \d{1,9})+)$/;

/** Parse `47 + 38 * 2` (the world's exact spacing, at least one operator); null when it is not one. */
export function parseExpression(text: string): Expression | null {
    const m = expressionPattern.exec(text);
    if (m == null) return null;
    const operands = [Number(m[1])];
    const ops: ArithOp[] = [];
    for (const part of m[2].matchAll(/ ([-+*]) (\d+)/g)) {
        ops.push(part[1] as ArithOp);
        operands.push(Number(part[2]));
    }
    return {operands, ops};
}

/** The world's arithmetic question: `Compute 47 + 38 * 2.` */
export function formatArithQuestion(expression: Expression): string {
    return `Compute ${formatExpression(expression)}.`;
}

/** The expression of a `Compute … .` question, or null when the text is not one. */
export function parseArithQuestion(question: string): Expression | null {
    const m = /^Compute (.+)\.$/.exec(question.trim());
    return m == null ? null : parseExpression(m[1]);
}

/** Integers as the world writes them: `-28`, never `-0`. */
export function formatNumber(n: number): string {
    return String(n === 0 ? 0 : n);
}

export function applyOp(left: number, op: ArithOp, right: number): number {
    const r = op === "+" ? left + right : op === "-" ? left - right : left * right;
    return r === 0 ? 0 : r;
}

/**
 * The steps that evaluate `expression` in the given order. With `override`, step `override.step`
 * yields `override.result` instead of its true value and every later step uses it: one mistake
 * carried through.
 */
export function evaluationSteps(
    expression: Expression,
    options: {order?: EvaluationOrder, override?: {step: number, result: number}} = {}
): ArithStep[] {
    const values = [...expression.operands];
    const ops = [...expression.ops];
    const steps: ArithStep[] = [];
    const reduce = (i: number) => {
        const left = values[i];
        const right = values[i + 1];
        const op = ops[i];
        let result = applyOp(left, op, right);
        if (options.override != null && options.override.step === steps.length) result = options.override.result;
        steps.push({left, op, right, result});
        values.splice(i, 2, result);
        ops.splice(i, 1);
    };
    if ((options.order ?? "precedence") === "precedence") {
        for (let i = ops.indexOf("*"); i >= 0; i = ops.indexOf("*")) reduce(i);
    }
    while (ops.length > 0) reduce(0);
    return steps;
}

/** The value of `expression` with the usual precedence. */
export function evaluateExpression(expression: Expression): number {
    const steps = evaluationSteps(expression);
    return steps.length === 0 ? expression.operands[0] : steps[steps.length - 1].result;
}

/** `38 * 2 = 76`. */
export function formatStep(step: ArithStep): string {
    return `${formatNumber(step.left)} ${step.op} ${formatNumber(step.right)} = ${formatNumber(step.result)}`;
}

/** The final value of a list of steps. */
export function finalValue(steps: ArithStep[]): number {
    return steps[steps.length - 1].result;
}

/** A world reply: the step lines then `Answer: N`, or `Answer: N` alone. */
export function formatArithReply(steps: ArithStep[], showSteps: boolean): string {
    const answer = `Answer: ${formatNumber(finalValue(steps))}`;
    return showSteps ? [...steps.map(formatStep), answer].join("\n") : answer;
}

/**
 * The answer a reply states, as written on its last `Answer: N` line (surrounding whitespace
 * ignored; an integer such as `-28`), or null when it states none.
 */
export function arithAnswerText(reply: string): string | null {
    const lines = reply.trim().split("\n");
    for (let i = lines.length - 1; i >= 0; i--) {
        const m = /^Answer: (-?\d{1,15})$/.exec(lines[i].trim());
        if (m != null) return m[1];
    }
    return null;
}

/** The value of the answer a reply states (see `arithAnswerText`), or null. */
export function parseArithAnswer(reply: string): number | null {
    const text = arithAnswerText(reply);
    return text == null ? null : Number(text) === 0 ? 0 : Number(text);
}
