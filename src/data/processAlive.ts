// Whether a process still runs, for the lock files and stores that record their owner's pid.

/** Whether process `pid` exists on this machine (signal 0 checks without sending anything; EPERM means it exists). */
export function processAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === "EPERM";
    }
}
