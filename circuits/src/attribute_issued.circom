pragma circom 2.1.0;

include "./lib/attribute_issued.circom";

// Values of up to 64 bits; sets of up to 4 members. Production sizes are set in circuits/circuits.json.
component main {public [issuerAx, issuerAy, holderAx, holderAy, fieldTag, op, bound, set, nonce]} = AttributeIssued(64, 4);
