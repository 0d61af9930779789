// `require('cotangent')` lands here (package.json exports, "require" condition). cotangent is an
// ES module that loads its wasm with top-level await, which require() cannot wait for; say how
// to import it instead of failing with a resolution or ERR_REQUIRE_ASYNC_MODULE error.
'use strict';
throw Object.assign(
  new Error(
    "cotangent is an ES module and cannot be loaded with require(). Use `import { np, grad } from 'cotangent'` " +
      "in an ES module, or `const { np, grad } = await import('cotangent')` from CommonJS.",
  ),
  { code: 'ERR_REQUIRE_ESM' },
);
