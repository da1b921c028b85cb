package io.portcullis.policy.ratelimit;

import io.portcullis.policy.RequestContext;

/** The bucket a request takes its token from, for one {@code localRateLimit} entry. */
sealed interface Buckets permits Buckets.Shared, KeyedBuckets {

    TokenBucket bucketFor(RequestContext ctx);

    /** No {@code key}: one bucket for every request of the route. */
    record Shared(TokenBucket bucket) implements Buckets {
        @Override
        public TokenBucket bucketFor(RequestContext ctx) {
            return bucket;
        }
    }
}
