// Shared by the browser pages (the bundle, cotangent/manual, a module worker, the Vite app):
// imports cotangent through `load`, runs the conformance script, and POSTs
// { checks, startupMs, build, violations } to the test server. CSP violations seen by the page (eval, new Function, inline script, ...) are
// collected from the moment this module runs; the server also receives them via report-uri.
const violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  violations.push(`${e.violatedDirective}: ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
});

/**
 * @param {() => Promise<object>} load imports a cotangent entry
 * @param {(api: object) => { checks: object[], firstResultAt: number }} runConformance
 */
export async function runPage(load, runConformance) {
  let result;
  try {
    const t0 = performance.now();
    const api = await load();
    const { checks, firstResultAt, build } = runConformance(api);
    result = { checks, startupMs: firstResultAt - t0, build };
  } catch (err) {
    result = failure('import cotangent', err);
  }
  await report(result);
}

/** A result with one failed check. */
export function failure(name, err) {
  return { checks: [{ name, ok: false, detail: String((err && err.stack) || err) }], startupMs: NaN };
}

/** Adds the page's CSP violations to `result` and POSTs it to the test server. */
export async function report(result) {
  // Violation events are dispatched as tasks: let any pending ones arrive first.
  await new Promise((r) => setTimeout(r, 100));
  result.violations = violations;
  document.body.textContent = JSON.stringify(result, null, 2);
  await fetch('/result', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) });
}
