// The RM-R1 prompt strings, byte-identical to the reference repository (RM-R1-UIUC/RM-R1 at d4c2542;
// method doc /work/shared/reference/rm-r1-method.md §1.3–1.7 and §6.2). Tests check each string's
// SHA-256 and length against the values the method doc lists: never edit these by hand.
//
// Placeholders are filled by literal, single substitution (see renderPair.ts); the templates contain no
// other braces.

/** Template 1 (method doc §1.3): the Instruct family system prompt, the Chain-of-Rubrics instruction.
 * Also `SYSTEM_PROMPT` in mix_data.py. 2,871 code points. */
export const RM_R1_INSTRUCT_SYSTEM_PROMPT =
    "Please act as an impartial judge and evaluate the quality of the responses provided by two AI Chatbots to the Client's question displayed below.\n" +
    "\n" +
    "First, classify the task into one of two categories: <type>Reasoning</type> or <type>Chat</type>.\n" +
    "- Use <type>Reasoning</type> for tasks that involve math, coding, or require domain knowledge, multi-step inference, logical deduction, or combining information to reach a conclusion.\n" +
    "- Use <type>Chat</type> for tasks that involve open-ended or factual conversation, stylistic rewrites, safety questions, or general helpfulness requests without deep reasoning.\n" +
    "\n" +
    "If the task is Reasoning:\n" +
    "1. Solve the Client's question yourself and present your final answer within <solution>...</solution> tags.\n" +
    "2. Evaluate the two Chatbot responses based on correctness, completeness, and reasoning quality, referencing your own solution.\n" +
    "3. Include your evaluation inside <eval>...</eval> tags, quoting or summarizing the Chatbots using the following tags:\n" +
    "   - <quote_A>...</quote_A> for direct quotes from Chatbot A\n" +
    "   - <summary_A>...</summary_A> for paraphrases of Chatbot A\n" +
    "   - <quote_B>...</quote_B> for direct quotes from Chatbot B\n" +
    "   - <summary_B>...</summary_B> for paraphrases of Chatbot B\n" +
    "4. End with your final judgment in the format: <answer>[[A]]</answer> or <answer>[[B]]</answer>\n" +
    "\n" +
    "If the task is Chat:\n" +
    "1. Generate evaluation criteria (rubric) tailored to the Client's question and context, enclosed in <rubric>...</rubric> tags.\n" +
    "2. Assign weights to each rubric item based on their relative importance.\n" +
    "3. Inside <rubric>, include a <justify>...</justify> section explaining why you chose those rubric criteria and weights.\n" +
    "4. Compare both Chatbot responses according to the rubric.\n" +
    "5. Provide your evaluation inside <eval>...</eval> tags, using <quote_A>, <summary_A>, <quote_B>, and <summary_B> as described above.\n" +
    "6. End with your final judgment in the format: <answer>[[A]]</answer> or <answer>[[B]]</answer>\n" +
    "\n" +
    "Important Notes:\n" +
    "- Be objective and base your evaluation only on the content of the responses.\n" +
    "- Do not let response order, length, or Chatbot names affect your judgment.\n" +
    "- Follow the response format strictly depending on the task type.\n" +
    "\n" +
    "Your output must follow one of the two formats below:\n" +
    "\n" +
    "For Reasoning:\n" +
    "<type>Reasoning</type>\n" +
    "\n" +
    "<solution> your own solution for the problem </solution>\n" +
    "\n" +
    "<eval>\n" +
    "  include direct comparisons supported by <quote_A>...</quote_A> or <summary_A>...</summary_A>, and <quote_B>...</quote_B>, or <summary_B>...</summary_B>\n" +
    "</eval>\n" +
    "\n" +
    "<answer>[[A/B]]</answer>\n" +
    "\n" +
    "For Chat:\n" +
    "<type>Chat</type>\n" +
    "\n" +
    "<rubric>\n" +
    "  detailed rubric items\n" +
    "  <justify> justification for the rubric </justify>\n" +
    "</rubric>\n" +
    "\n" +
    "<eval>\n" +
    "  include direct comparisons supported by <quote_A>...</quote_A> or <summary_A>...</summary_A>, and <quote_B>...</quote_B>, or <summary_B>...</summary_B> tags\n" +
    "</eval>\n" +
    "\n" +
    "<answer>[[A/B]]</answer>";

/** Template 2 (§1.4): Instruct single-turn user prompt; `{question}`, `{answer_a}`, `{answer_b}`. 192 code points. */
export const RM_R1_SINGLE_TURN_INSTRUCT_USER_PROMPT =
    "[Client Question]\n" +
    "{question}\n" +
    "\n" +
    "[The Start of Chatbot A's Response]\n" +
    "{answer_a}\n" +
    "[The End of Chatbot A's Response]\n" +
    "\n" +
    "[The Start of Chatbot B's Response]\n" +
    "{answer_b}\n" +
    "[The End of Chatbot B's Response]";

/** Template 3 (§1.5): Instruct multi-turn user prompt; `{conversation_1}`, `{conversation_2}`. 290 code points. */
export const RM_R1_MULTI_TURN_INSTRUCT_USER_PROMPT =
    "[The Start of the Conversation between Chatbot A and the Client]\n" +
    "{conversation_1}\n" +
    "[The End of the Conversation between Chatbot A and the Client]\n" +
    "\n" +
    "[The Start of the Conversation between Chatbot B and the Client]\n" +
    "{conversation_2}\n" +
    "[The End of the Conversation between Chatbot B and the Client]";

/** Template 4 (§1.6): reasoning-family (DeepSeek-distilled) single-turn user prompt, no system message.
 * Note the trailing space in "displayed below. \n\n". 508 code points. */
export const RM_R1_SINGLE_TURN_REASONING_USER_PROMPT =
    "Please act as an impartial judge and evaluate the quality of the responses provided by two AI Chatbots to the Client question displayed below. \n" +
    "\n" +
    "[Client Question]\n" +
    "{question}\n" +
    "\n" +
    "[The Start of Chatbot A's Response]\n" +
    "{answer_a}\n" +
    "[The End of Chatbot A's Response]\n" +
    "\n" +
    "[The Start of Chatbot B's Response]\n" +
    "{answer_b}\n" +
    "[The End of Chatbot B's Response]\n" +
    "\n" +
    "Output your final verdict at last by strictly following this format: '<answer>[[A]]</answer>' if Chatbot A is better, or '<answer>[[B]]</answer>' if Chatbot B is better.";

/** Template 5 (§1.7): reasoning-family multi-turn user prompt. 606 code points. */
export const RM_R1_MULTI_TURN_REASONING_USER_PROMPT =
    "Please act as an impartial judge and evaluate the quality of the responses provided by two AI Chatbots to the Client question displayed below. \n" +
    "\n" +
    "[The Start of the Conversation between Chatbot A and the Client]\n" +
    "{conversation_1}\n" +
    "[The End of the Conversation between Chatbot A and the Client]\n" +
    "\n" +
    "[The Start of the Conversation between Chatbot B and the Client]\n" +
    "{conversation_2}\n" +
    "[The End of the Conversation between Chatbot B and the Client]\n" +
    "\n" +
    "Output your final verdict at last by strictly following this format: '<answer>[[A]]</answer>' if Chatbot A is better, or '<answer>[[B]]</answer>' if Chatbot B is better.";

/** Distillation pass-2 hint (§6.2) appended to the user message when the correct verdict is A:
 * starts with "\n\n " (note the space), ends with a space, dashes are U+2014. The reference then appends
 * "The previous (wrong) judgement was: " and the wrong trace. */
export const PASS2_HINT_SUFFIX_A =
    "\n\n For this sample case, the correct verdict is [[A]]. Please concentrate on producing a thorough, high-quality reasoning trace\u2014fully aligned with the evaluation guidelines\u2014showing why Chatbot A outperforms Chatbot B. ";

/** Distillation pass-2 hint (§6.2) for a correct verdict of B; same shape as `PASS2_HINT_SUFFIX_A`. */
export const PASS2_HINT_SUFFIX_B =
    "\n\n For this sample case, the correct verdict is [[B]]. Please concentrate on producing a thorough, high-quality reasoning trace\u2014fully aligned with the evaluation guidelines\u2014showing why Chatbot B outperforms Chatbot A. ";

/** The text the reference appends after a pass-2 hint suffix, before the wrong trace (§6.2). */
export const PASS2_PREVIOUS_JUDGEMENT_PREFIX = "The previous (wrong) judgement was: ";

/**
 * The text the reference appends to the pass-2 user message (§6.2): the hint suffix for the
 * correct verdict, then `PASS2_PREVIOUS_JUDGEMENT_PREFIX` and the wrong trace, verbatim. As in
 * `generate_OpenAI_Second_Time.py`, any label other than `model_a` selects the B suffix.
 */
export function pass2HintText(label: string, previousJudgement: string): string {
    const suffix = label === "model_a" ? PASS2_HINT_SUFFIX_A : PASS2_HINT_SUFFIX_B;
    return suffix + PASS2_PREVIOUS_JUDGEMENT_PREFIX + previousJudgement;
}
