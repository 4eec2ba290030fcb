pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";

// MerkleInclusion(depth): computes the Poseidon Merkle root of `leaf` along a path.
// Inputs: leaf; pathIndices[depth] (0: the node is the left child, 1: the right child; constrained to bits);
//         siblings[depth]. Output: root. Hash of a node = Poseidon(left, right).
template MerkleInclusion(depth) {
    signal input leaf;
    signal input pathIndices[depth];
    signal input siblings[depth];
    signal output root;

    component hashers[depth];
    signal nodes[depth + 1];
    signal left[depth];
    signal right[depth];
    nodes[0] <== leaf;
    for (var i = 0; i < depth; i++) {
        pathIndices[i] * (1 - pathIndices[i]) === 0;
        // left = index ? sibling : node ; right = index ? node : sibling
        left[i] <== nodes[i] + pathIndices[i] * (siblings[i] - nodes[i]);
        right[i] <== siblings[i] + pathIndices[i] * (nodes[i] - siblings[i]);
        hashers[i] = Poseidon(2);
        hashers[i].inputs[0] <== left[i];
        hashers[i].inputs[1] <== right[i];
        nodes[i + 1] <== hashers[i].out;
    }
    root <== nodes[depth];
}
