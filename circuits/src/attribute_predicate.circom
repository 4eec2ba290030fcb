pragma circom 2.1.0;

include "./lib/attribute_predicate.circom";

// Values of up to 64 bits; sets of up to 4 members.
component main {public [Ax, Ay, fieldTag, op, bound, set]} = AttributePredicate(64, 4);
