// Every CLI command, in the order `rmr1 help` lists them. Add a command by writing
// src/cli/commands/<name>.ts and adding one import line and one entry below.
import type {Command} from "./Command.js";
import {promptCommand} from "./commands/prompt.js";
import {parseCommand} from "./commands/parse.js";
import {cacheInfoCommand, cacheClearCommand} from "./commands/cache.js";
import {benchScoreCommand} from "./commands/bench-score.js";
import {evalCommand} from "./commands/eval.js";
import {mixCommand} from "./commands/mix.js";
import {exportCommand} from "./commands/export.js";
import {judgeCommand} from "./commands/judge.js";
import {rankCommand} from "./commands/rank.js";
import {serveCommand} from "./commands/serve.js";
import {launchCommand} from "./commands/launch.js";
import {worldGenerateCommand, worldPretrainCommand} from "./commands/world.js";
import {quickstartCommand} from "./commands/quickstart.js";
import {modelInitCommand, modelInfoCommand} from "./commands/model.js";
import {trainSftCommand, trainGrpoCommand} from "./commands/train.js";
import {distillCommand, distillStatusCommand} from "./commands/distill.js";
import {viewCommand} from "./commands/view.js";

export const commands: Command[] = [
    promptCommand,
    parseCommand,
    cacheInfoCommand,
    cacheClearCommand,
    benchScoreCommand,
    evalCommand,
    mixCommand,
    exportCommand,
    judgeCommand,
    rankCommand,
    serveCommand,
    launchCommand,
    worldGenerateCommand,
    worldPretrainCommand,
    quickstartCommand,
    modelInitCommand,
    modelInfoCommand,
    trainSftCommand,
    trainGrpoCommand,
    distillCommand,
    distillStatusCommand,
    viewCommand,
];
