// Local scripted chat servers and the engines a test opens against them, closed after each test:
// the engines first (their kept-alive connections), then the servers.
import {afterEach} from "vitest";
import {ScriptedChatServer} from "../../src/engines/testing/ScriptedChatServer.js";
import type {ScriptedChatServerOptions} from "../../src/engines/testing/ScriptedChatServer.js";

interface Closable {
    close(): Promise<void>;
}

/** Register the after-each clean-up; returns `server(options)` to start one and `track(engine)` to close one. */
export function scriptedServers(): {server(options?: ScriptedChatServerOptions): Promise<ScriptedChatServer>, track<T extends Closable>(engine: T): T} {
    const servers: ScriptedChatServer[] = [];
    const engines: Closable[] = [];
    afterEach(async () => {
        await Promise.all(engines.splice(0).map((e) => e.close()));
        await Promise.all(servers.splice(0).map((s) => s.close()));
    });
    return {
        async server(options = {}) {
            const s = await ScriptedChatServer.start(options);
            servers.push(s);
            return s;
        },
        track(engine) {
            engines.push(engine);
            return engine;
        }
    };
}
