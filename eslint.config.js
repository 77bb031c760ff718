// ESLint flat config: typescript-eslint's recommended rules plus a few style rules
// in the node-llama-cpp manner (double quotes, semicolons, 4-space indent).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    {ignores: ["dist/**", "node_modules/**", "runs/**", "bench/results/**", "src/native/kernels/assembly/**", "src/native/kernels/build/**", "coverage/**", "test-artifacts/**"]},
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        languageOptions: {
            globals: {
                process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly",
                setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly",
                setImmediate: "readonly", AbortController: "readonly", AbortSignal: "readonly",
                fetch: "readonly", Response: "readonly", Request: "readonly", Headers: "readonly",
                TextEncoder: "readonly", TextDecoder: "readonly", performance: "readonly",
                SharedArrayBuffer: "readonly", Atomics: "readonly", WebAssembly: "readonly",
                structuredClone: "readonly", queueMicrotask: "readonly", document: "readonly", window: "readonly"
            }
        },
        rules: {
            "quotes": ["error", "double", {avoidEscape: true}],
            "semi": ["error", "always"],
            "indent": ["error", 4, {SwitchCase: 1, ignoredNodes: ["TemplateLiteral *"]}],
            "eqeqeq": ["error", "always", {null: "ignore"}],
            "no-var": "error",
            "prefer-const": "error",
            "@typescript-eslint/no-unused-vars": ["error", {argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none"}],
            "@typescript-eslint/no-explicit-any": "off",
            "no-constant-condition": ["error", {checkLoops: false}],
            "no-control-regex": "off"
        }
    }
);
