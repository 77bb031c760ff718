// The fast local OpenAI-compatible server of the engines benchmark, in its own process so that its
// work does not share the client's event loop or count toward the client's CPU time. Prints
// `{"url": ...}` on one line once listening; exits when its stdin closes (the parent went away).
import {ScriptedChatServer} from "../src/engines/testing/ScriptedChatServer.js";

const reply = "<type>Chat</type>\n<rubric>Accuracy 60%, clarity 40%.</rubric>\n<eval>Chatbot A is accurate; B is not.</eval>\n<answer>[[A]]</answer>";
const server = await ScriptedChatServer.start({record: false, reply: () => reply});
process.stdout.write(JSON.stringify({url: server.openaiBaseUrl}) + "\n");
process.stdin.resume();
process.stdin.on("end", () => void server.close().then(() => process.exit(0)));
