pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/eddsaposeidon.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/bitify.circom";

// AttributePredicate(bits, setSize): a field value signed by the owner satisfies a predicate, unrevealed.
//
// Public inputs : Ax, Ay     — the owner's Baby Jubjub public key (from the owner's genesis block)
//                 fieldTag   — identifies the field (a hash of "section/path"), so a signature on one field
//                              cannot serve for another
//                 op         — 0: value >= bound, 1: value <= bound, 2: value is one of set[]
//                 bound      — the threshold for ops 0 and 1
//                 set[setSize] — the allowed values for op 2 (unused entries repeat a member)
// Private inputs: value (an unsigned integer below 2^bits), salt, the owner's EdDSA-Poseidon signature
//                 (R8x, R8y, S) of the commitment Poseidon(fieldTag, value, salt).
// Proves: the owner signed a commitment to (fieldTag, value) and value satisfies op; value and salt stay
// hidden. value and bound are range-checked to `bits` bits, so comparisons cannot wrap around the field.
template AttributePredicate(bits, setSize) {
    signal input Ax;
    signal input Ay;
    signal input fieldTag;
    signal input op;
    signal input bound;
    signal input set[setSize];
    signal input value;
    signal input salt;
    signal input R8x;
    signal input R8y;
    signal input S;

    component commitment = Poseidon(3);
    commitment.inputs[0] <== fieldTag;
    commitment.inputs[1] <== value;
    commitment.inputs[2] <== salt;

    component signature = EdDSAPoseidonVerifier();
    signature.enabled <== 1;
    signature.Ax <== Ax;
    signature.Ay <== Ay;
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

    // value is in the set when the product of (value - set[i]) is zero.
    signal product[setSize + 1];
    product[0] <== 1;
    for (var i = 0; i < setSize; i++) {
        product[i + 1] <== product[i] * (value - set[i]);
    }
    component inSet = IsZero();
    inSet.in <== product[setSize];

    // Exactly one op is selected, and the selected predicate holds.
    signal isGte;
    signal isLte;
    signal isIn;
    component op0 = IsEqual();
    op0.in[0] <== op;
    op0.in[1] <== 0;
    component op1 = IsEqual();
    op1.in[0] <== op;
    op1.in[1] <== 1;
    component op2 = IsEqual();
    op2.in[0] <== op;
    op2.in[1] <== 2;
    op0.out + op1.out + op2.out === 1;
    isGte <== op0.out * gte.out;
    isLte <== op1.out * lte.out;
    isIn <== op2.out * inSet.out;
    isGte + isLte + isIn === 1;
}
