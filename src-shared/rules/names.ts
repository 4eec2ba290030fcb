// The names a person gives inside a profile: a section (`fitness`, `health-2027`) and a field path
// (`weight`, `runs.best.marathon`). Core's checks, the contract's schemas and the renderer hold them to these.

/** 1–32 lower-case letters, digits or -, starting with a letter. */
export const SECTION_NAME = /^[a-z][a-z0-9-]{0,31}$/u;

/** 1–8 names of 1–64 letters, digits, - or _, joined by dots. */
export const FIELD_PATH = /^[A-Za-z0-9_-]{1,64}(\.[A-Za-z0-9_-]{1,64}){0,7}$/u;
