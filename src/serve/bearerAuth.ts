// Bearer-token checks for `rmr1 serve`: the comparison takes the same time whatever the token sent
// (both sides are hashed to 32 bytes, then compared with `timingSafeEqual`), so response timing
// reveals nothing about how much of a guess was right.
import {createHash, timingSafeEqual} from "node:crypto";

/** Whether the `Authorization` header carries `token` as a bearer token. */
export function checkBearer(header: string | undefined, token: string): boolean {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? "");
    const sent = createHash("sha256").update(match?.[1] ?? "").digest();
    const expected = createHash("sha256").update(token).digest();
    // Compare even when the header is missing, so both paths cost the same.
    return timingSafeEqual(sent, expected) && match != null;
}
