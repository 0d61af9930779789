// `import m from './x.wasm'` as workerd and Cloudflare-style bundlers provide it: a compiled
// WebAssembly.Module (not an instance, unlike Node's and Deno's wasm ESM integration).
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
