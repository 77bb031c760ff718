import {describe, expect, it} from "vitest";
import {checkBearer} from "./bearerAuth.js";

describe("bearer tokens", () => {
    it("accepts exactly the token, case-insensitive scheme", () => {
        expect(checkBearer("Bearer abc123456", "abc123456")).toBe(true);
        expect(checkBearer("bearer   abc123456 ", "abc123456")).toBe(true);
        expect(checkBearer("Bearer abc12345", "abc123456")).toBe(false);
        expect(checkBearer("Basic abc123456", "abc123456")).toBe(false);
        expect(checkBearer(undefined, "abc123456")).toBe(false);
        expect(checkBearer("Bearer ", "")).toBe(false);
    });
});
