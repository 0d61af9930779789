// Starts tests/runtimes/browser/worker.js as a module worker and reports what it posts back.
// The worker's own CSP violations reach the test server through report-uri.
import { report, failure } from './run_page.js';

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
worker.onmessage = (e) => report(e.data);
worker.onerror = (e) => report(failure('the worker', e.message || 'error event'));
