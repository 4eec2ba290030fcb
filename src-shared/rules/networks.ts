// The names and sizes of private networks (docs/network.md, "Private networks"): what a person may call one,
// and the largest invite file. Core, the IPC contract, the CLI and the renderer hold them to these.

/** 1–32 lower-case letters, digits or -, starting with a letter (`family`, `club-2027`). */
export const NETWORK_NAME = /^[a-z][a-z0-9-]{0,31}$/u;

/** An invite is a few hundred bytes; anything much larger is not one. */
export const MAX_NETWORK_INVITE_BYTES = 4 * 1024;

/** The public network's name where a private network's could stand (`serve --network public` is the default). */
export const PUBLIC_NETWORK = 'public';
