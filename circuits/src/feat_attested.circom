pragma circom 2.1.0;

include "./lib/feat_attested.circom";

// The development parameters: 3 witnesses from a tree of depth 3 (8 trusted witnesses).
// Production sizes are set in circuits/circuits.json and need their own ceremony.
component main {public [root, claimHash, nonce]} = FeatAttested(3, 3);
