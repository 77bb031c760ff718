// What else is using the CPU while a benchmark runs: the processes other than the benchmark's own
// (matched by pid and by the command-line patterns it starts) at 5% CPU or more, busiest first. A
// benchmark calls the machine shared when this finds any: the load average alone cannot tell, since
// it counts the benchmark itself and decays for minutes after the previous job.
import {execSync} from "node:child_process";

/** Up to six `pid %cpu command` lines (clipped to 140 characters) of other busy processes. */
export function otherProcesses(ours: readonly string[]): string[] {
    try {
        const out = execSync("ps -eo pid,ppid,pcpu,args --sort=-pcpu", {encoding: "utf8"}).split("\n").slice(1);
        const self = String(process.pid);
        return out.map((l) => l.trim().split(/\s+/))
            .filter((f) => f.length >= 4 && f[0] !== self && f[1] !== self && Number(f[2]) >= 5)
            .map((f) => [f[0], f[2], ...f.slice(3)].join(" "))
            .filter((l) => !["ps -eo", ...ours].some((o) => l.includes(o)))
            .map((l) => l.slice(0, 140))
            .slice(0, 6);
    } catch {
        return [];
    }
}
