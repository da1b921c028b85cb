package io.portcullis.policy.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import java.util.Set;

/** One public key of a key set, ready to verify: the algorithms it may be used with and its verifier. */
record VerificationKey(String kid, Set<JWSAlgorithm> algorithms, JWSVerifier verifier) {}
