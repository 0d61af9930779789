// Sizes shared by emission and the rule helpers (a module of its own so that neither has to be
// initialized before the other).

/** Longest operand or param list a rule may build (concatenate's operands, split's sizes). */
export const MAX_LIST: i32 = 4096;
