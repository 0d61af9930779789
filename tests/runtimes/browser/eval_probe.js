// The control for the CSP check: this page tries to generate code, which the CSP must block and
// report. If it is not reported, the check that cotangent generates no code proves nothing.
import { runPage } from './run_page.js';

runPage(async () => ({}), () => {
  let blocked = false;
  try {
    new Function('return 1')();
  } catch {
    blocked = true;
  }
  return { checks: [{ name: 'new Function is blocked', ok: blocked, detail: '' }], firstResultAt: performance.now() };
});
