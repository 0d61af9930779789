// Bundles the JavaScript that `tsc -p tsconfig.json` emitted into build/ts (no TypeScript plugin:
// plain JS in, one ESM file out). dist/index.js sits next to dist/cotangent.wasm, which the loader
// finds through `new URL('./cotangent.wasm', import.meta.url)`; ESM output keeps import.meta.url
// as is. node:* modules (the loader's dynamic `node:fs/promises`, used only for file: URLs) stay
// external.

export default {
  input: 'build/ts/index.js',
  output: {
    file: 'dist/index.js',
    format: 'es',
    inlineDynamicImports: true,
  },
  external: (id) => id.startsWith('node:'),
  onwarn(warning, warn) {
    // An unresolved import means a missing file or a wrong specifier in ts/: fail the build.
    if (warning.code === 'UNRESOLVED_IMPORT') throw new Error(warning.message);
    warn(warning);
  },
};
