pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/eddsaposeidon.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/bitify.circom";

// AttributeIssued(bits, setSize): an issuer signed a commitment to a field's value for this holder, and the
// value satisfies a predicate; the value stays hidden.
//
// Public inputs : issuerAx, issuerAy — the issuer's Baby Jubjub key; the verifier checks it against the
//                              genesis keys of the issuers it trusts
//                 holderAx, holderAy — the holder's Baby Jubjub key (from the holder's genesis block), bound
//                              into the commitment, so a credential issued to one holder serves no other
//                 fieldTag   — identifies the field (a hash of its tag, e.g. "age"), so a signature on one field
//                              cannot serve for another
//                 op         — 0: value >= bound, 1: value <= bound, 2: value is one of set[], 3: value = bound
//                 bound      — the threshold for ops 0, 1 and 3
//                 set[setSize] — the allowed values for op 2 (unused entries repeat a member)
//                 nonce      — the verifier's challenge, bound to the proof (no replay to that verifier)
// Private inputs: value (an unsigned integer below 2^bits), salt, the issuer's EdDSA-Poseidon signature
//                 (R8x, R8y, S) of the commitment Poseidon(holderAx, holderAy, fieldTag, value, salt).
// Proves: the issuer signed (holder, fieldTag, value) and value satisfies op. value and bound are
// range-checked to `bits` bits, so comparisons cannot wrap around the field.
template AttributeIssued(bits, setSize) {
    signal input issuerAx;
    signal input issuerAy;
    signal input holderAx;
    signal input holderAy;
    signal input fieldTag;
    signal input op;
    signal input bound;
    signal input set[setSize];
    signal input nonce;
    signal input value;
    signal input salt;
    signal input R8x;
    signal input R8y;
    signal input S;

    component commitment = Poseidon(5);
    commitment.inputs[0] <== holderAx;
    commitment.inputs[1] <== holderAy;
    commitment.inputs[2] <== fieldTag;
    commitment.inputs[3] <== value;
    commitment.inputs[4] <== salt;

    component signature = EdDSAPoseidonVerifier();
    signature.enabled <== 1;
    signature.Ax <== issuerAx;
    signature.Ay <== issuerAy;
    signature.R8x <== R8x;
    signature.R8y <== R8y;
    signature.S <== S;
    signature.M <== commitment.out;

    component valueBits = Num2Bits(bits);
    valueBits.in <== value;
    component boundBits = Num2Bits(bits);
    boundBits.in <== bound;

    component gte = GreaterEqThan(bits);
    gte.in[0] <== value;
    gte.in[1] <== bound;
    component lte = LessEqThan(bits);
    lte.in[0] <== value;
    lte.in[1] <== bound;
    component eq = IsEqual();
    eq.in[0] <== value;
    eq.in[1] <== bound;

    // value is in the set when the product of (value - set[i]) is zero.
    signal product[setSize + 1];
    product[0] <== 1;
    for (var i = 0; i < setSize; i++) {
        product[i + 1] <== product[i] * (value - set[i]);
    }
    component inSet = IsZero();
    inSet.in <== product[setSize];

    // Exactly one op is selected, and the selected predicate holds.
    component ops[4];
    for (var i = 0; i < 4; i++) {
        ops[i] = IsEqual();
        ops[i].in[0] <== op;
        ops[i].in[1] <== i;
    }
    ops[0].out + ops[1].out + ops[2].out + ops[3].out === 1;
    signal holds[4];
    holds[0] <== ops[0].out * gte.out;
    holds[1] <== ops[1].out * lte.out;
    holds[2] <== ops[2].out * inSet.out;
    holds[3] <== ops[3].out * eq.out;
    holds[0] + holds[1] + holds[2] + holds[3] === 1;

    // The nonce takes part in a constraint, so the proof cannot be re-bound to another nonce.
    signal nonceSquare;
    nonceSquare <== nonce * nonce;
}
