import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "build/", "coverage/", "node_modules/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // C ports name things the way libevent does (bufferevent_socket_new, EV_READ).
      camelcase: "off",
      "@typescript-eslint/no-explicit-any": "off",
      // Ported callbacks keep C's full signature, used or not.
      "@typescript-eslint/no-unused-vars": ["error", { args: "none", varsIgnorePattern: "^_" }],
      "no-constant-condition": ["error", { checkLoops: false }],
    },
  },
  {
    // Line-by-line ports keep C's declarations (a `static` global assigned once in main).
    files: ["examples/**", "test/**"],
    rules: { "prefer-const": "off" },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: {
      globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly" },
    },
  },
);
