pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/eddsaposeidon.circom";
include "circomlib/circuits/comparators.circom";
include "./merkle.circom";

// The tags of the feat circuits, a public input of each, so a proof file says which statement it proves.
function FEAT_THRESHOLD_TAG() { return 1; }
function FEAT_AUTHORITY_TAG() { return 2; }

// WitnessSignature(depth): one witness's EdDSA-Poseidon signature on `message` and the Merkle path of its
// leaf Poseidon(Ax, Ay), both checked only when `enabled` is 1 (a disabled slot constrains nothing the prover
// cannot fill). Output: leaf.
template WitnessSignature(depth) {
    signal input enabled;
    signal input root;
    signal input message;
    signal input Ax;
    signal input Ay;
    signal input R8x;
    signal input R8y;
    signal input S;
    signal input pathIndices[depth];
    signal input siblings[depth];
    signal output leaf;

    component key = Poseidon(2);
    key.inputs[0] <== Ax;
    key.inputs[1] <== Ay;
    leaf <== key.out;

    component path = MerkleInclusion(depth);
    path.leaf <== leaf;
    for (var j = 0; j < depth; j++) {
        path.pathIndices[j] <== pathIndices[j];
        path.siblings[j] <== siblings[j];
    }
    (path.root - root) * enabled === 0;

    component signature = EdDSAPoseidonVerifier();
    signature.enabled <== enabled;
    signature.Ax <== Ax;
    signature.Ay <== Ay;
    signature.R8x <== R8x;
    signature.R8y <== R8y;
    signature.S <== S;
    signature.M <== message;
}

// FeatThreshold(K, depth): at least k DISTINCT witnesses from the trusted-witness tree signed the claim,
// for any public k from 1 to K.
//
// Public inputs : circuit    — FEAT_THRESHOLD_TAG() (1)
//                 k          — how many distinct witnesses the proof shows, 1 ≤ k ≤ K (else no proof)
//                 root       — Poseidon Merkle root (depth `depth`) of the trusted witnesses' leaves,
//                              leaf = Poseidon(Ax, Ay) of a witness's Baby Jubjub public key
//                 claimHash  — the field element the witnesses signed (hash of the feat claim)
//                 nonce      — chosen by the verifier
// Public output : nullifier  = Poseidon(claimHash, nonce): binds the proof to the verifier's nonce.
// Private inputs: K slots of (Ax, Ay, R8x, R8y, S, pathIndices, siblings); slot i is enabled exactly when
//                 i < k, so the first k slots must each hold a trusted leaf's valid signature on claimHash;
//                 the others are ignored (the app fills them with copies of slot 0).
// Proves: every enabled leaf is in the tree under `root`; every enabled signature verifies on claimHash (S
// below the subgroup order, key not of small order — circomlib's checks); the enabled leaves are pairwise
// different. Reveals k and nothing about which witnesses signed (Groth16 is zero-knowledge).
template FeatThreshold(K, depth) {
    signal input circuit;
    signal input k;
    signal input root;
    signal input claimHash;
    signal input nonce;
    signal input Ax[K];
    signal input Ay[K];
    signal input R8x[K];
    signal input R8y[K];
    signal input S[K];
    signal input pathIndices[K][depth];
    signal input siblings[K][depth];
    signal output nullifier;

    circuit === FEAT_THRESHOLD_TAG();

    // k is one of 1..K: exactly one isK[j] (k == j + 1) is 1. Slot i is enabled when k > i.
    component isK[K];
    var count = 0;
    for (var j = 0; j < K; j++) {
        isK[j] = IsEqual();
        isK[j].in[0] <== k;
        isK[j].in[1] <== j + 1;
        count += isK[j].out;
    }
    count === 1;
    signal enabled[K];
    for (var i = 0; i < K; i++) {
        var above = 0;
        for (var j = i; j < K; j++) above += isK[j].out;
        enabled[i] <== above;
    }

    component slots[K];
    for (var i = 0; i < K; i++) {
        slots[i] = WitnessSignature(depth);
        slots[i].enabled <== enabled[i];
        slots[i].root <== root;
        slots[i].message <== claimHash;
        slots[i].Ax <== Ax[i];
        slots[i].Ay <== Ay[i];
        slots[i].R8x <== R8x[i];
        slots[i].R8y <== R8y[i];
        slots[i].S <== S[i];
        for (var d = 0; d < depth; d++) {
            slots[i].pathIndices[d] <== pathIndices[i][d];
            slots[i].siblings[d] <== siblings[i][d];
        }
    }

    // Distinct witnesses: no two enabled leaves are equal (slot j > i enabled implies slot i enabled).
    component same[K * (K - 1) / 2];
    var pair = 0;
    for (var i = 0; i < K; i++) {
        for (var j = i + 1; j < K; j++) {
            same[pair] = IsEqual();
            same[pair].in[0] <== slots[i].leaf;
            same[pair].in[1] <== slots[j].leaf;
            same[pair].out * enabled[j] === 0;
            pair++;
        }
    }

    component bind = Poseidon(2);
    bind.inputs[0] <== claimHash;
    bind.inputs[1] <== nonce;
    nullifier <== bind.out;
}

// FeatAuthority(depth): one authority from the authorities tree signed the claim.
//
// Public inputs : circuit    — FEAT_AUTHORITY_TAG() (2)
//                 k          — always 1 (the same layout as FeatThreshold, so one reader serves both)
//                 root       — Poseidon Merkle root (depth `depth`) of the trusted authorities' leaves
//                 claimHash, nonce — as in FeatThreshold
// Public output : nullifier  = Poseidon(claimHash, nonce)
// Private inputs: the authority's (Ax, Ay), its signature (R8x, R8y, S) on claimHash, its Merkle path.
// Proves: the key is a leaf of the tree under `root` and its signature verifies on claimHash. Reveals
// nothing about which authority signed.
template FeatAuthority(depth) {
    signal input circuit;
    signal input k;
    signal input root;
    signal input claimHash;
    signal input nonce;
    signal input Ax;
    signal input Ay;
    signal input R8x;
    signal input R8y;
    signal input S;
    signal input pathIndices[depth];
    signal input siblings[depth];
    signal output nullifier;

    circuit === FEAT_AUTHORITY_TAG();
    k === 1;

    component slot = WitnessSignature(depth);
    slot.enabled <== 1;
    slot.root <== root;
    slot.message <== claimHash;
    slot.Ax <== Ax;
    slot.Ay <== Ay;
    slot.R8x <== R8x;
    slot.R8y <== R8y;
    slot.S <== S;
    for (var d = 0; d < depth; d++) {
        slot.pathIndices[d] <== pathIndices[d];
        slot.siblings[d] <== siblings[d];
    }

    component bind = Poseidon(2);
    bind.inputs[0] <== claimHash;
    bind.inputs[1] <== nonce;
    nullifier <== bind.out;
}
