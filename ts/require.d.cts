// Types for `require('cotangent')`, which throws (dist/require.cjs): cotangent is an ES module.
// Use `import { np, grad } from 'cotangent'`, or `await import('cotangent')` from CommonJS.
export {};
