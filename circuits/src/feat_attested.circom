pragma circom 2.1.0;

include "./lib/feat_attested.circom";

// The development parameters: any k from 1 to 3 witnesses, from a tree of depth 3 (8 trusted witnesses).
// Production sizes are set in circuits/circuits.json and need their own ceremony.
component main {public [circuit, k, root, claimHash, nonce]} = FeatThreshold(3, 3);
