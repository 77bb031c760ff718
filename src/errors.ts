// The typed error hierarchy of rmr1 (in the manner of openai-node's `error.ts`).
//
// Every error a user can cause or meet says what happened and what to do about it. The CLI prints
// `error.message` on one line and exits with `error.exitCode`; it never prints a stack trace for a
// `Rmr1Error`. Layers throw the most specific class; callers catch by class, never by message.

/** Base class of every error rmr1 throws on purpose. */
export class Rmr1Error extends Error {
    /** Process exit code the CLI uses for this error. */
    readonly exitCode: number = 1;

    constructor(message: string, options?: {cause?: unknown}) {
        super(message, options);
        this.name = new.target.name;
    }
}

/**
 * Bad input from the user: a malformed file, a missing field, an unknown option value.
 * `field` names the offending field (dotted path) and `location` the file and line/row when known.
 */
export class InvalidInput extends Rmr1Error {
    override readonly exitCode: number = 2;
    readonly field?: string;
    readonly location?: string;

    constructor(message: string, options: {field?: string, location?: string, cause?: unknown} = {}) {
        super(options.location != null ? `${options.location}: ${message}` : message, {cause: options.cause});
        this.field = options.field;
        this.location = options.location;
    }
}

/** A model output that the requested extractor cannot turn into a verdict. */
export class ParseFailure extends Rmr1Error {
    readonly text: string;

    constructor(message: string, text: string) {
        super(message);
        this.text = text;
    }
}

/** A configuration that cannot work (missing API key, unknown provider, incompatible options). */
export class ConfigError extends Rmr1Error {
    override readonly exitCode: number = 2;
}

/** A file or resource that should exist and does not (or cannot be read). */
export class NotFound extends Rmr1Error {
    override readonly exitCode: number = 2;
}

// ---- engines -------------------------------------------------------------------------------

/** Base class of failures while talking to a generation engine. */
export class EngineError extends Rmr1Error {
    /** HTTP status when the engine is a server, else undefined. */
    readonly status?: number;
    /** Whether repeating the same request later may succeed. */
    readonly retryable: boolean;
    /** Engine identity (`provider:model`) that failed. */
    readonly engine?: string;

    constructor(message: string, options: {status?: number, retryable?: boolean, engine?: string, cause?: unknown} = {}) {
        super(message, {cause: options.cause});
        this.status = options.status;
        this.retryable = options.retryable ?? false;
        this.engine = options.engine;
    }
}

/** The engine rejected the request as malformed (HTTP 400/404/422). Fix the request; do not retry. */
export class EngineBadRequest extends EngineError {}

/** Missing or wrong credentials (HTTP 401/403). Set the API key named in the message. */
export class EngineAuthError extends EngineError {}

/** The engine asked us to slow down (HTTP 429). Retried automatically; lower `-j` if it persists. */
export class EngineRateLimited extends EngineError {
    /** Seconds the server asked us to wait, from `Retry-After`. */
    readonly retryAfterSeconds?: number;

    constructor(message: string, options: {status?: number, engine?: string, retryAfterSeconds?: number, cause?: unknown} = {}) {
        super(message, {...options, retryable: true});
        this.retryAfterSeconds = options.retryAfterSeconds;
    }
}

/** The engine did not answer in time. Retried automatically; raise `--timeout` if it persists. */
export class EngineTimeout extends EngineError {}

/** The engine failed on its side (HTTP 5xx). Retried automatically. */
export class EngineServerError extends EngineError {}

/** The engine could not be reached (refused, reset, DNS). Check the base URL and that the server runs. */
export class EngineConnectionError extends EngineError {}

/** The engine answered with something that is not the protocol (bad JSON, missing fields). */
export class EngineProtocolError extends EngineError {}

/** A model file could not be loaded (corrupt GGUF, missing tensors, wrong architecture). */
export class ModelLoadError extends EngineError {}

// ---- jobs ----------------------------------------------------------------------------------

/** A job was asked to stop (Ctrl-C, abort signal). Work finished so far is saved. */
export class Aborted extends Rmr1Error {
    override readonly exitCode: number = 130;
}
