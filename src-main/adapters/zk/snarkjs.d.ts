// The part of snarkjs's API that DeFaust uses (the package ships no type declarations).
declare module 'snarkjs' {
  export const wtns: {
    calculate(inputs: Record<string, unknown>, wasm: Uint8Array | string, wtns: { type: 'mem'; data?: Uint8Array } | string): Promise<void>;
  };
  export const groth16: {
    prove(zkey: Uint8Array | string, wtns: { type: 'mem'; data?: Uint8Array } | string): Promise<{ proof: unknown; publicSignals: string[] }>;
    verify(vkey: unknown, publicSignals: unknown, proof: unknown): Promise<boolean>;
    fullProve(inputs: Record<string, unknown>, wasm: Uint8Array | string, zkey: Uint8Array | string): Promise<{ proof: unknown; publicSignals: string[] }>;
  };
  /** Used by the tests and benches that check the ceremony's keys. */
  export const zKey: {
    exportVerificationKey(zkey: Uint8Array | string): Promise<unknown>;
    verifyFromR1cs(r1cs: string, ptau: string, zkey: string): Promise<boolean>;
  };
  /** The test that re-checks the shipped keys prepares the committed phase 1 (deterministic). */
  export const powersOfTau: {
    preparePhase2(phase1: string, prepared: string): Promise<void>;
  };
}
