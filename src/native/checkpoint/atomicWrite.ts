// Crash-safe output: files are written to a temporary name, flushed to disk, then renamed, so a
// crash leaves either the previous version or the complete new one, never half a checkpoint.
import {closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync} from "node:fs";
import {basename, dirname, join} from "node:path";
import {randomBytes} from "node:crypto";

/** Write `chunks` to `file` and flush them to disk (no rename). */
export function writeChunksDurable(file: string, chunks: Uint8Array[]): void {
    const fd = openSync(file, "w");
    try {
        for (const chunk of chunks) {
            let off = 0;
            while (off < chunk.byteLength) off += writeSync(fd, chunk, off, chunk.byteLength - off);
        }
        fsyncSync(fd);
    } finally {
        closeSync(fd);
    }
}

/** Flush a directory entry (so a rename inside it survives a power loss). Best effort off Linux. */
export function fsyncDir(dir: string): void {
    let fd: number | undefined;
    try {
        fd = openSync(dir, "r");
        fsyncSync(fd);
    } catch {
        // Some platforms (Windows) cannot open or fsync a directory; the rename is still atomic.
    } finally {
        if (fd != null) closeSync(fd);
    }
}

/** Write a file atomically and durably: temp file in the same directory, fsync, rename. */
export function writeFileAtomicDurable(file: string, chunks: Uint8Array[]): void {
    mkdirSync(dirname(file), {recursive: true});
    const tmp = join(dirname(file), `.${basename(file)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
    try {
        writeChunksDurable(tmp, chunks);
        renameSync(tmp, file);
    } catch (err) {
        rmSync(tmp, {force: true});
        throw err;
    }
    fsyncDir(dirname(file));
}

/**
 * Create or replace the directory `dir` atomically: `fill` writes everything into a fresh sibling
 * temp directory, which is then renamed into place. An existing `dir` is moved aside first and
 * removed after the swap; a crash between the two renames leaves the complete old version at
 * `<dir>.old-*` and the complete new one at `<dir>.tmp-*`, never a half-written `dir`.
 */
export async function replaceDirAtomic(dir: string, fill: (tmpDir: string) => Promise<void> | void): Promise<void> {
    const parent = dirname(dir);
    mkdirSync(parent, {recursive: true});
    const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
    const tmp = join(parent, `.${basename(dir)}.tmp-${tag}`);
    mkdirSync(tmp);
    try {
        await fill(tmp);
        fsyncDir(tmp);
        if (existsSync(dir)) {
            const old = join(parent, `.${basename(dir)}.old-${tag}`);
            renameSync(dir, old);
            renameSync(tmp, dir);
            rmSync(old, {recursive: true, force: true});
        } else {
            renameSync(tmp, dir);
        }
        fsyncDir(parent);
    } catch (err) {
        rmSync(tmp, {recursive: true, force: true});
        throw err;
    }
}
