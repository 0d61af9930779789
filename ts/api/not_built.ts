// JAX names of what ROADMAP step 14 will bring (FFTs, convolutions, windowed reductions), of a
// few lax primitives not built (pmax, allGather and the other collectives over vmap's named axes but psum's family), and of numpy forms JS cannot have (mgrid's slices, putmask's
// write): a port reaching for them gets a NotImplementedError saying so, not JS's 'np.fft is not an object' or 'lax.convGeneralDilated is not a function'. Non-enumerable,
// as random's NOT_OFFERED: they are not part of the API, only its refusals.
import { NotImplementedError } from '../core/errors.js';
import { snakeCase } from './spelling.js';

const FFT = ['fft', 'ifft', 'fft2', 'ifft2', 'fftn', 'ifftn', 'rfft', 'irfft', 'rfft2', 'irfft2', 'rfftn', 'irfftn', 'hfft', 'ihfft',
  'fftfreq', 'rfftfreq', 'fftshift', 'ifftshift'];
const LAX: Record<string, string> = {
  conv: 'convolutions (ROADMAP step 14); np.convolve covers 1-d signals',
  convGeneralDilated: 'convolutions (ROADMAP step 14); np.convolve covers 1-d signals',
  convWithGeneralPadding: 'convolutions (ROADMAP step 14); np.convolve covers 1-d signals',
  convTranspose: 'convolutions (ROADMAP step 14)',
  convDimensionNumbers: 'convolutions (ROADMAP step 14)',
  reduceWindow: 'windowed reductions (ROADMAP step 14, with the convolutions)',
  fft: 'FFTs (ROADMAP step 14)',
  reducePrecision: 'lax.reducePrecision',
  // (was JS's 'lax.reduce is not a function')
  reduce: 'lax.reduce with a user computation; lax.reduceSum, reduceProd, reduceMax, reduceMin, reduceAnd, reduceOr, reduceXor cover those monoids',
};
/** The collectives over vmap's named axes not built (lax.psum, pmean, axisIndex and axisSize are: collectives.ts). */
const COLLECTIVES_INSTEAD = "this collective over vmap's named axes is not built (lax.psum, pmean, axisIndex and axisSize are); " +
  'reduce the vmapped function\'s output over its batch axis after the vmap (np.max(vmap(f)(xs), 0)), or pass what every example ' +
  'needs in as an unmapped argument (inAxes null)';
for (const name of ['pmax', 'pmin', 'psumScatter', 'allGather', 'allToAll', 'ppermute', 'pshuffle', 'pswapaxes', 'pbroadcast', 'pvary']) {
  LAX[name] = COLLECTIVES_INSTEAD;
}

/** numpy's print options: printing is numpy's with its defaults (precision 8, threshold 1000, edgeitems 3, linewidth 75). */
const PRINT_OPTIONS = ['setPrintoptions', 'getPrintoptions', 'printoptions', 'array2string', 'formatFloatPositional', 'formatFloatScientific',
  'set_printoptions', 'get_printoptions', 'format_float_positional', 'format_float_scientific']; // (numpy's spellings too: jnp has them)

function refusal(name: string, what: string) {
  return function notBuilt(): never {
    throw new NotImplementedError(`${name}: not implemented yet: ${what}`);
  };
}

function hide(ns: object, name: string, value: unknown): void {
  if (!(name in ns)) Object.defineProperty(ns, name, { value, enumerable: false, configurable: true, writable: true });
}

/** numpy names whose form needs Python (slice syntax) or in-place writes, with what to write instead. */
const NP_INSTEAD: Record<string, string> = {
  mgrid: 'Python\'s slice syntax (np.mgrid[0:3, 0:4]) has no JS form; use np.meshgrid(np.arange(3), np.arange(4), { indexing: \'ij\' })',
  ogrid: 'Python\'s slice syntax has no JS form; use np.meshgrid(np.arange(3), np.arange(4), { indexing: \'ij\', sparse: true })',
  putmask: 'Arrays are immutable; use np.where(mask, values, a) (values broadcast), or np.place(a, mask, values, { inplace: false }) (values repeated in order)',
  copyto: 'Arrays are immutable; use np.where(where, src, dst), or np.broadcastTo(src, dst.shape)',
};

/** Add the refusals to the np and lax namespaces (in place; names they have are left alone). */
export function addNotBuilt(np: object, lax: object): void {
  hide(np, 'fft', Object.freeze(Object.fromEntries(FFT.map((n) => [n, refusal(`np.fft.${n}`, 'FFTs (ROADMAP step 14)')]))));
  for (const [name, what] of Object.entries(LAX)) {
    hide(lax, name, refusal(`lax.${name}`, what));
    const snake = snakeCase(name); // (JAX's own spelling, as ported: lax.all_gather, lax.conv_general_dilated)
    if (snake !== null) hide(lax, snake, refusal(`lax.${snake}`, what));
  }
  for (const [name, instead] of Object.entries(NP_INSTEAD)) {
    hide(np, name, function notOffered(): never { throw new NotImplementedError(`np.${name}: not offered: ${instead}`); });
  }
  for (const name of PRINT_OPTIONS) {
    hide(np, name, refusal(`np.${name}`, 'print options: Arrays print as numpy\'s do with its defaults (precision 8, threshold 1000, ' +
      'edgeitems 3, linewidth 75); x.tolist() gives the values to format yourself'));
  }
}
