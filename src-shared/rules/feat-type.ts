// The name of a kind of feat (marathon, first-aid-2027): what a claim, a trust entry and a trust root are
// scoped by. Core, the contract and the CLI hold feat types to this one pattern.

/** 1–40 lower-case letters, digits or -. */
export const FEAT_TYPE = /^[a-z0-9-]{1,40}$/u;

/** The rule in words, for error messages. */
export const FEAT_TYPE_RULE = 'a feat type is 1–40 lower-case letters, digits or -';
