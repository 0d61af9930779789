export default {
  entries: ['wasm-tests/**/*.spec.ts'],
  include: ['wasm-tests/**/*.include.ts'],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    // (custom rules call the host; the wasm tests emit no custom rows, so reaching one is a failure)
    const custom_rule = () => { throw new Error('custom_rule: no host rule in the wasm tests'); };
    return instantiate(binary, createImports({ env: { memory, custom_rule } }));
  },
  outputBinary: false,
};
