pragma circom 2.1.0;

include "./lib/feat_attested.circom";

// The small member of the k-of-n family: any k from 1 to 2 witnesses, from a tree of depth 3 (the same
// depth as feat_attested.circom). A proof of k witnesses is made with the smallest member that has k slots,
// so a 2-of-n claim does not pay for the largest k's signature checks. Production sizes are set in
// circuits/circuits.json and need their own ceremony.
component main {public [circuit, k, root, claimHash, nonce]} = FeatThreshold(2, 3);
