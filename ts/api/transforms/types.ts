// The static types of the transforms: a transformed function keeps the user function's
// parameters (each Array parameter also takes what np.array takes), and its results follow the
// function's output and the options (a tuple for array argnums, [g, aux] with hasAux). Only
// types here: the transform files use them in their exported signatures.
import type { NDArray, ArrayInput, NestedNumbers, Complex } from '../array.js';

export type Fn = (...args: any[]) => any;

/** What a transformed function accepts for a parameter of type T: Arrays loosen to ArrayInput. */
export type Loosen<T> =
  T extends NDArray ? ArrayInput
  : T extends readonly NestedNumbers[] ? T
  : T extends readonly unknown[] ? { [K in keyof T]: Loosen<T[K]> }
  : T extends Fn ? T
  : T extends object ? { [K in keyof T]: Loosen<T[K]> } // (interfaces too: they have no index signature)
  : T;

/**
 * A transform's result for a value of type T: the same tree with every leaf a (concrete) Array.
 * A parameter typed ArrayInput (np.sin's) gives an Array: a nested list of numbers passed there
 * is a tree of leaves at run time, a case these types do not follow.
 */
export type Leaves<T> =
  T extends NDArray | number | boolean | Complex ? NDArray
  : T extends readonly NestedNumbers[] ? NDArray
  : T extends readonly unknown[] ? { -readonly [K in keyof T]: Leaves<T[K]> }
  : T extends Fn ? T
  : T extends object ? { [K in keyof T]: Leaves<T[K]> } // (interfaces too: they have no index signature)
  : T;

/**
 * The same tree with each leaf its own type or an Array: a loop carry, which a body may hand back
 * as it came (a JS number unchanged) or as the Array it computed (lax_control.ts).
 */
export type OrArrays<T> =
  T extends NDArray ? NDArray
  : T extends number | boolean | Complex ? T | NDArray
  : T extends readonly NestedNumbers[] ? T | NDArray
  : T extends readonly unknown[] ? { -readonly [K in keyof T]: OrArrays<T[K]> }
  : T extends Fn ? T
  : T extends object ? { [K in keyof T]: OrArrays<T[K]> }
  : T;

/** The argument positions of a parameter list, 0..n-1 and JAX's -1..-n (number for rest parameters). */
export type ArgIndex<P extends readonly unknown[]> =
  number extends P['length'] ? number
  : (Exclude<Partial<P>['length'], P['length']> & number) | Negated<Exclude<Partial<P>['length'], 0> & number>;

/** -k for each k of a union of non-negative number literals (a template-literal round trip). */
type Negated<K extends number> = K extends number ? (`-${K}` extends `${infer N extends number}` ? N : never) : never;

/** The parameter at argnum A, counting a negative A from the end (P[-1] is the last). */
type ParamAt<P extends readonly unknown[], A extends number> =
  `${A}` extends `-${infer K extends number}` ? [never, ...Reversed<Required<P>>][K] : P[A];
type Reversed<T extends readonly unknown[]> = T extends readonly [infer H, ...infer R] ? [...Reversed<R>, H] : [];

/** grad/valueAndGrad options, with argnums checked against f's parameters. */
export interface GradOptionsFor<F extends Fn> {
  argnums?: ArgIndex<Parameters<F>> | readonly ArgIndex<Parameters<F>>[];
  hasAux?: boolean;
  holomorphic?: boolean;
}

type Argnums<O> = O extends { argnums: infer A } ? A : 0;

/** The gradient for argnums A of a function with parameters P. */
export type GradOf<P extends readonly unknown[], A> =
  A extends number ? Leaves<ParamAt<P, A>>
  : A extends readonly number[] ? { -readonly [K in keyof A]: Leaves<ParamAt<P, A[K] & number>> }
  : never;

/** The aux output of a hasAux function (returns [output, aux]): kept as it is, Arrays made concrete. */
export type AuxOf<F extends Fn> = ReturnType<F> extends readonly [unknown, infer X] ? X : unknown;

/** true, false, or boolean when hasAux is a boolean known only at run time (then the result is either shape). */
export type HasAux<O> = O extends { hasAux: true } ? true
  : O extends { hasAux: boolean } ? (boolean extends O['hasAux'] ? boolean : false) : false;
/** A for true, B for false, A | B for boolean (distributes over the union). */
type AuxSwitch<H, A, B> = H extends true ? A : B;

export type GradFn<F extends Fn, O> = (...args: Loosen<Parameters<F>>) =>
  AuxSwitch<HasAux<O>, [GradOf<Parameters<F>, Argnums<O>>, AuxOf<F>], GradOf<Parameters<F>, Argnums<O>>>;

export type ValueAndGradFn<F extends Fn, O> = (...args: Loosen<Parameters<F>>) =>
  AuxSwitch<HasAux<O>, [[NDArray, AuxOf<F>], GradOf<Parameters<F>, Argnums<O>>], [NDArray, GradOf<Parameters<F>, Argnums<O>>]>;

/** The primal output of f as a transform returns it. */
export type OutOf<F extends Fn> = Leaves<ReturnType<F>>;

/** vjp's pullback: a cotangent shaped like f's output, one cotangent per primal back. */
export type Pullback<F extends Fn, R = ReturnType<F>> = (ct: Loosen<R>) => Leaves<Parameters<F>>;

/** linearize's jvpFn: tangents shaped like the primals, the output's tangent back. */
export type JvpFn<F extends Fn> = (...tangents: Loosen<Parameters<F>>) => OutOf<F>;

/** The output of a hasAux function without its aux. */
export type MainOut<F extends Fn> = ReturnType<F> extends readonly [infer Y, unknown] ? Y : ReturnType<F>;

/** argnums from a Jacobian transform's options: an options object's, or JAX's positional argnums. */
type JacArgnums<O> = O extends number | readonly number[] ? O : O extends { argnums: infer A } ? A : 0;
/** hasAux from an options object, or from JAX's positional third argument H. */
type JacHasAux<O, H> = O extends { hasAux: unknown } ? HasAux<O> : [H] extends [undefined] ? false : [H] extends [true] ? true : [H] extends [false] ? false : boolean;
/** f's differentiated output: its first element with hasAux. */
type JacOut<F extends Fn, X> = X extends true ? MainOut<F> : ReturnType<F>;

/**
 * jacfwd/jacrev's result: for f with one Array output, the Jacobian blocks arranged as the
 * differentiated arguments (grad's structure: a tuple for array argnums); for f with a tree of
 * outputs, the output tree of such trees, typed loosely (any).
 */
export type JacOf<F extends Fn, A, X> = JacOut<F, X> extends NDArray ? GradOf<Parameters<F>, A> : any;
export type JacFn<F extends Fn, O, H = undefined> = (...args: Loosen<Parameters<F>>) =>
  AuxSwitch<JacHasAux<O, H>, [JacOf<F, JacArgnums<O>, true>, AuxOf<F>], JacOf<F, JacArgnums<O>, false>>;

/** hessian's result: an Array for f of one Array output and one Array argument differentiated; else loosely typed. */
export type HessOf<F extends Fn, A, X> =
  JacOut<F, X> extends NDArray ? (A extends number ? (GradOf<Parameters<F>, A> extends NDArray ? NDArray : any) : any) : any;
export type HessFn<F extends Fn, O, H = undefined> = (...args: Loosen<Parameters<F>>) =>
  AuxSwitch<JacHasAux<O, H>, [HessOf<F, JacArgnums<O>, true>, AuxOf<F>], HessOf<F, JacArgnums<O>, false>>;
