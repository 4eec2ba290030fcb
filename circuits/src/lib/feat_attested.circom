pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/eddsaposeidon.circom";
include "circomlib/circuits/comparators.circom";
include "./merkle.circom";

// FeatAttested(k, depth): at least k DISTINCT witnesses from the trusted-witness tree signed the claim.
//
// Public inputs : root       — Poseidon Merkle root (depth `depth`) of the trusted witnesses' leaves,
//                              leaf = Poseidon(Ax, Ay) of a witness's Baby Jubjub public key
//                 claimHash  — the field element the witnesses signed (hash of the feat claim)
//                 nonce      — chosen by the verifier
// Public output : nullifier  = Poseidon(claimHash, nonce): binds the proof to the verifier's nonce, so a
//                              proof made for one verifier (or one session) is refused by another.
// Private inputs: for each of the k witnesses: public key (Ax, Ay), EdDSA-Poseidon signature (R8x, R8y, S)
//                 of claimHash, Merkle path (pathIndices, siblings).
// Proves: every witness's leaf is in the tree under `root`; every signature verifies on claimHash (S below
// the subgroup order, key not of small order — circomlib's checks); the k leaves are pairwise different.
// Reveals nothing about which witnesses signed (Groth16 is zero-knowledge).
template FeatAttested(k, depth) {
    signal input root;
    signal input claimHash;
    signal input nonce;
    signal input Ax[k];
    signal input Ay[k];
    signal input R8x[k];
    signal input R8y[k];
    signal input S[k];
    signal input pathIndices[k][depth];
    signal input siblings[k][depth];
    signal output nullifier;

    component leaves[k];
    component paths[k];
    component signatures[k];
    for (var i = 0; i < k; i++) {
        leaves[i] = Poseidon(2);
        leaves[i].inputs[0] <== Ax[i];
        leaves[i].inputs[1] <== Ay[i];

        paths[i] = MerkleInclusion(depth);
        paths[i].leaf <== leaves[i].out;
        for (var j = 0; j < depth; j++) {
            paths[i].pathIndices[j] <== pathIndices[i][j];
            paths[i].siblings[j] <== siblings[i][j];
        }
        paths[i].root === root;

        signatures[i] = EdDSAPoseidonVerifier();
        signatures[i].enabled <== 1;
        signatures[i].Ax <== Ax[i];
        signatures[i].Ay <== Ay[i];
        signatures[i].R8x <== R8x[i];
        signatures[i].R8y <== R8y[i];
        signatures[i].S <== S[i];
        signatures[i].M <== claimHash;
    }

    // Distinct witnesses: no two leaves are equal.
    component same[k * (k - 1) / 2];
    var pair = 0;
    for (var i = 0; i < k; i++) {
        for (var j = i + 1; j < k; j++) {
            same[pair] = IsEqual();
            same[pair].in[0] <== leaves[i].out;
            same[pair].in[1] <== leaves[j].out;
            same[pair].out === 0;
            pair++;
        }
    }

    component bind = Poseidon(2);
    bind.inputs[0] <== claimHash;
    bind.inputs[1] <== nonce;
    nullifier <== bind.out;
}
