pragma circom 2.1.0;

include "./lib/feat_attested.circom";

// The development parameters: one authority from a tree of depth 3 (8 trusted authorities).
// Production sizes are set in circuits/circuits.json and need their own ceremony.
component main {public [circuit, k, root, claimHash, nonce]} = FeatAuthority(3);
