// The requests of the two-pass bootstrap (method doc §6.2). Pass 1 sends the judge prompt as it is.
// Pass 2 appends, to the user message only (the system prompt is unchanged), the reference's hint
// suffix for the correct verdict, "The previous (wrong) judgement was: " and the wrong pass-1 trace,
// verbatim (`pass2HintText`). The SFT row of a pass-2 trace still pairs it with the un-hinted prompt.
import {createHash} from "node:crypto";
import type {GenerateRequest, SamplingOptions} from "../engines/Engine.js";
import {pass2HintText} from "../protocol/templates.js";
import type {Message, WinnerLabel} from "../protocol/types.js";
import type {DistillItem, DistillPass} from "./DistillStore.js";

/** The pass-2 prompt: `messages` with the hint and the wrong trace appended to the last (user) message. */
export function pass2Messages(messages: readonly Message[], label: WinnerLabel, wrongTrace: string): Message[] {
    const last = messages.length - 1;
    if (last < 0 || messages[last].role !== "user") throw new Error("a judge prompt ends with the user message");
    return messages.map((m, i) => i === last ? {role: m.role, content: m.content + pass2HintText(label, wrongTrace)} : {role: m.role, content: m.content});
}

/** The request for an item's pass; pass 2 needs the wrong pass-1 trace. */
export function distillRequest(item: DistillItem, pass: DistillPass, options: SamplingOptions, wrongTrace?: string): GenerateRequest {
    if (pass === 1) return {messages: item.messages, options};
    if (wrongTrace == null) throw new Error(`pass 2 of item ${item.id} needs its pass-1 trace`);
    return {messages: pass2Messages(item.messages, item.label, wrongTrace), options};
}

/** Hex SHA-256 of the messages (roles and contents) as sent: the prompt hash recorded per request. */
export function promptHash(messages: readonly Message[]): string {
    return createHash("sha256").update(JSON.stringify(messages.map(({role, content}) => [role, content]))).digest("hex");
}
