// Bundles the JavaScript that `tsc -p tsconfig.json` emitted into build/ts (no TypeScript plugin:
// plain JS in, ESM out). Three entries share one copy of the API and of the loader's state:
//   dist/manual.js   the API + init()/initSync(), nothing loaded at import (`cotangent/manual`)
//   dist/index.js    manual.js + top-level `await init()` (`cotangent`)
//   dist/workerd.js  manual.js + initSync() of `import module from './cotangent.wasm'`
//                    (`cotangent/workerd`, and the workerd/worker conditions of `cotangent`)
// They sit next to dist/cotangent.wasm, which the loader finds through
// `new URL('./cotangent.wasm', import.meta.url)`; ESM output keeps import.meta.url as is.
// node:* modules (the loader's dynamic `node:fs/promises`, used only for file: URLs) and the
// workerd entry's `./cotangent.wasm` stay external. ts/require.cjs (and its .d.cts) are copied to dist/.
import { readFileSync } from 'node:fs';

/** Keeps `./cotangent.wasm` as written (relative to the output file, which sits beside it). */
const wasmModuleImport = {
  name: 'cotangent-wasm-module',
  resolveId(source) {
    return source === './cotangent.wasm' ? { id: './cotangent.wasm', external: true } : null;
  },
};

const requireStub = {
  name: 'cotangent-require-stub',
  generateBundle() {
    for (const file of ['require.cjs', 'require.d.cts']) {
      this.emitFile({ type: 'asset', fileName: file, source: readFileSync(`ts/${file}`, 'utf8') });
    }
  },
};

export default {
  input: { index: 'build/ts/index.js', manual: 'build/ts/manual.js', workerd: 'build/ts/workerd.js' },
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    // Shared code lands in manual.js (every entry imports it); a chunk, if rollup ever needs one,
    // stays next to the .wasm so its import.meta.url finds it.
    chunkFileNames: '[name]-[hash].js',
  },
  external: (id) => id.startsWith('node:'),
  plugins: [wasmModuleImport, requireStub],
  onwarn(warning, warn) {
    // An unresolved import means a missing file or a wrong specifier in ts/: fail the build.
    if (warning.code === 'UNRESOLVED_IMPORT') throw new Error(warning.message);
    warn(warning);
  },
};
