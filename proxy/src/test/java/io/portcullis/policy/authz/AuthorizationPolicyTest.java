package io.portcullis.policy.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.portcullis.config.policy.AuthorizationConfig;
import io.portcullis.config.policy.AuthorizationConfig.RuleConfig;
import io.portcullis.policy.PolicyResult;
import io.portcullis.policy.RequestContext;
import io.portcullis.routing.RequestView;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rule semantics, through {@link AuthorizationPolicy#apply}: how allow, deny and require combine, what an
 * evaluation error means in each, and every variable a rule can read.
 */
class AuthorizationPolicyTest {
    private static final Map<String, Object> ALICE = Map.of(
            "sub", "alice",
            "iss", "https://idp.example.com",
            "roles", List.of("user", "admin"),
            "realm", Map.of("roles", List.of("operator"), "tier", 3L),
            "exp", 1_900_000_000L,
            "score", 0.75,
            "verified", true);
    private static final Map<String, Object> BOB = Map.of("sub", "bob", "roles", List.of("user"));

    static RuleConfig allow(String expression) {
        return new RuleConfig(expression, null, null);
    }

    static RuleConfig deny(String expression) {
        return new RuleConfig(null, expression, null);
    }

    static RuleConfig require(String expression) {
        return new RuleConfig(null, null, expression);
    }

    static AuthorizationPolicy policy(RuleConfig... rules) {
        return AuthorizationPolicy.compile(new AuthorizationConfig(Arrays.asList(rules)));
    }

    /** A request context as the frontend builds it: {@code path} is the normalised path, {@code headers} name/value pairs. */
    static RequestContext request(HttpMethod method, String path, Map<String, Object> claims, String peerIp, String... headers) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, path);
        HttpHeaders h = request.headers();
        h.add("host", "api.example.com:8443");
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        RequestView view = new RequestView(method, path, null, h.get("host"), h);
        RequestContext ctx = new RequestContext(request, view, null, UnpooledByteBufAllocator.DEFAULT, "https", peerIp, false);
        ctx.claims(claims);
        return ctx;
    }

    static RequestContext withClaims(Map<String, Object> claims) {
        return request(HttpMethod.GET, "/api/items", claims, "10.1.2.3");
    }

    static RequestContext withHeaders(String... headers) {
        return request(HttpMethod.GET, "/api/items", null, "10.1.2.3", headers);
    }

    /**
     * Applies the policy: true when it continues; when it replies, checks the reply is the 403 with its
     * reason, releases it and returns false.
     */
    static boolean permits(AuthorizationPolicy policy, RequestContext ctx) {
        PolicyResult result = policy.apply(ctx);
        if (result.isContinue()) {
            return true;
        }
        FullHttpResponse reply = result.reply();
        try {
            assertThat(reply.status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
            assertThat(reply.content().toString(StandardCharsets.UTF_8)).isEqualTo("forbidden\n");
            assertThat(result.reason()).isEqualTo("authorization_denied");
        } finally {
            reply.release(); // the error body is a shared unreleasable buffer, so this returns false
        }
        return false;
    }

    @Test
    void noRulesLetEveryRequestThrough() {
        AuthorizationPolicy none = policy();
        assertThat(permits(none, withClaims(null))).isTrue();
        assertThat(permits(none, withClaims(ALICE))).isTrue();
    }

    @Test
    void allowRulesAloneAreAnAllowlist() {
        AuthorizationPolicy p = policy(allow("jwt.sub == \"alice\""), allow("jwt.sub == \"carol\""));
        assertThat(permits(p, withClaims(ALICE))).isTrue();
        assertThat(permits(p, withClaims(Map.of("sub", "carol")))).as("any one allow rule suffices").isTrue();
        assertThat(permits(p, withClaims(BOB))).isFalse();
    }

    @Test
    void denyRulesAloneAreADenylist() {
        AuthorizationPolicy p = policy(deny("jwt.sub == \"bob\""));
        assertThat(permits(p, withClaims(BOB))).isFalse();
        assertThat(permits(p, withClaims(ALICE))).isTrue();
    }

    @Test
    void everyRequireRuleMustHold() {
        AuthorizationPolicy p = policy(require("jwt.iss == \"https://idp.example.com\""), require("jwt.verified"));
        assertThat(permits(p, withClaims(ALICE))).isTrue();
        assertThat(permits(p, withClaims(Map.of("iss", "https://idp.example.com", "verified", false)))).isFalse();
        assertThat(permits(p, withClaims(Map.of("iss", "https://evil.example", "verified", true)))).isFalse();
    }

    @Test
    void requireRulesAloneAllowWhatTheyAdmit() {
        AuthorizationPolicy p = policy(require("request.method == \"GET\""));
        assertThat(permits(p, request(HttpMethod.GET, "/x", null, "10.0.0.1"))).isTrue();
        assertThat(permits(p, request(HttpMethod.POST, "/x", null, "10.0.0.1"))).isFalse();
    }

    @Test
    void denyWinsOverAllow() {
        AuthorizationPolicy p = policy(allow("\"user\" in jwt.roles"), deny("jwt.sub == \"bob\""));
        assertThat(permits(p, withClaims(ALICE))).isTrue();
        assertThat(permits(p, withClaims(BOB))).as("bob is a user, but denied by name").isFalse();
    }

    @Test
    void aFailedRequireDeniesEvenWhenAnAllowMatches() {
        AuthorizationPolicy p = policy(allow("true"), require("\"admin\" in jwt.roles"));
        assertThat(permits(p, withClaims(ALICE))).isTrue();
        assertThat(permits(p, withClaims(BOB))).isFalse();
    }

    @Test
    void requireAndAllowTogetherNeedBoth() {
        AuthorizationPolicy p = policy(require("jwt.iss == \"https://idp.example.com\""), allow("jwt.sub == \"alice\""));
        assertThat(permits(p, withClaims(ALICE))).isTrue();
        Map<String, Object> bobFromIdp = Map.of("sub", "bob", "iss", "https://idp.example.com");
        assertThat(permits(p, withClaims(bobFromIdp))).as("require holds, but no allow rule matches").isFalse();
    }

    @Test
    void aDenyRuleThatErrorsDoesNotDeny() {
        AuthorizationPolicy p = policy(deny("jwt.banned == true"));
        assertThat(permits(p, withClaims(ALICE))).as("no `banned` claim: the rule errors").isTrue();
        assertThat(permits(p, withClaims(Map.of("banned", true)))).isFalse();
    }

    @Test
    void aRequireRuleThatErrorsDenies() {
        AuthorizationPolicy p = policy(require("jwt.tenant == \"acme\""));
        assertThat(permits(p, withClaims(ALICE))).as("no `tenant` claim: the rule errors").isFalse();
        assertThat(permits(p, withClaims(Map.of("tenant", "acme")))).isTrue();
    }

    @Test
    void anAllowRuleThatErrorsDoesNotAllowButAnotherCan() {
        AuthorizationPolicy erroring = policy(allow("jwt.tenant == \"acme\""));
        assertThat(permits(erroring, withClaims(ALICE))).isFalse();
        AuthorizationPolicy withFallback = policy(allow("jwt.tenant == \"acme\""), allow("jwt.sub == \"alice\""));
        assertThat(permits(withFallback, withClaims(ALICE))).isTrue();
    }

    @Test
    void aResultThatIsNotABooleanDoesNotHold() {
        // jwt values are dyn, so these type-check; at run time the value is a string or a number.
        assertThat(permits(policy(allow("jwt.sub")), withClaims(ALICE))).isFalse();
        assertThat(permits(policy(require("jwt.exp")), withClaims(ALICE))).isFalse();
        assertThat(permits(policy(deny("jwt.sub")), withClaims(ALICE))).isTrue();
        assertThat(permits(policy(allow("jwt.verified")), withClaims(ALICE))).as("a boolean claim does").isTrue();
    }

    @Test
    void aBareStringRuleIsAnAllowRule() {
        AuthorizationPolicy p = policy(RuleConfig.fromScalar("jwt.sub == \"alice\""));
        assertThat(permits(p, withClaims(ALICE))).isTrue();
        assertThat(permits(p, withClaims(BOB))).as("an allowlist, so bob is refused").isFalse();
    }

    @Test
    void nestedClaimsAreReachableByField() {
        assertThat(permits(policy(allow("\"operator\" in jwt.realm.roles")), withClaims(ALICE))).isTrue();
        assertThat(permits(policy(allow("jwt.realm.tier >= 3")), withClaims(ALICE))).isTrue();
        assertThat(permits(policy(allow("jwt.realm.roles.exists(r, r == \"admin\")")), withClaims(ALICE))).isFalse();
        assertThat(permits(policy(allow("has(jwt.realm.tier) && !has(jwt.realm.missing)")), withClaims(ALICE))).isTrue();
    }

    @Test
    void rolesListMembership() {
        AuthorizationPolicy admins = policy(allow("\"admin\" in jwt.roles"));
        assertThat(permits(admins, withClaims(ALICE))).isTrue();
        assertThat(permits(admins, withClaims(BOB))).isFalse();
        assertThat(permits(admins, withClaims(Map.of("roles", "admin")))).as("a string is not a list: error").isFalse();
        AuthorizationPolicy powerOrAdmin = policy(allow("jwt.roles.exists(r, r in [\"power_user\", \"admin\"])"));
        assertThat(permits(powerOrAdmin, withClaims(ALICE))).isTrue();
        assertThat(permits(powerOrAdmin, withClaims(Map.of("roles", List.of("power_user"))))).isTrue();
        assertThat(permits(powerOrAdmin, withClaims(BOB))).isFalse();
    }

    @Test
    void jsonNumbersCompareAcrossIntAndDouble() {
        assertThat(permits(policy(allow("jwt.exp > 1700000000 && jwt.score > 0.5 && jwt.score < 1")), withClaims(ALICE)))
                .isTrue();
        assertThat(permits(policy(allow("jwt.realm.tier == 3.0")), withClaims(ALICE))).isTrue();
        Map<String, Object> odd = Map.of("small", 7, "big", BigInteger.TEN, "f", 1.5f);
        assertThat(permits(policy(allow("jwt.small == 7 && jwt.big == 10 && jwt.f == 1.5")), withClaims(odd))).isTrue();
    }

    @Test
    void aNullClaimComparesWithNull() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("sub", "alice");
        claims.put("nickname", null);
        claims.put("groups", Arrays.asList("a", null));
        assertThat(permits(policy(allow("jwt.nickname == null && jwt.sub == \"alice\"")), withClaims(claims))).isTrue();
        assertThat(permits(policy(allow("null in jwt.groups")), withClaims(claims))).isTrue();
    }

    @Test
    void withoutATokenJwtIsAnEmptyMap() {
        assertThat(permits(policy(allow("size(jwt) == 0")), withClaims(null))).isTrue();
        assertThat(permits(policy(allow("!has(jwt.sub)")), withClaims(null))).isTrue();
        assertThat(permits(policy(allow("jwt.sub == \"alice\"")), withClaims(null))).isFalse();
        assertThat(permits(policy(deny("jwt.sub == \"bob\"")), withClaims(null))).as("the deny rule errors").isTrue();
        assertThat(permits(policy(require("\"admin\" in jwt.roles")), withClaims(null))).isFalse();
    }

    @Test
    void headersAreLowerCaseNamesToValues() {
        AuthorizationPolicy admin = policy(allow("request.headers[\"x-role\"] == \"admin\""));
        assertThat(permits(admin, withHeaders("X-Role", "admin"))).as("sent in mixed case").isTrue();
        assertThat(permits(admin, withHeaders("x-role", "user"))).isFalse();
        assertThat(permits(admin, withHeaders())).as("absent: the lookup errors").isFalse();
        assertThat(permits(policy(allow("request.headers[\"X-Role\"] == \"admin\"")), withHeaders("x-role", "admin")))
                .as("keys are lower case").isFalse();
        assertThat(permits(policy(allow("request.headers.host == \"api.example.com:8443\"")), withHeaders())).isTrue();
    }

    @Test
    void repeatedHeadersAreJoinedWithCommaSpace() {
        AuthorizationPolicy p = policy(allow("request.headers[\"x-group\"] == \"a, b\""));
        assertThat(permits(p, withHeaders("x-group", "a", "X-Group", "b"))).isTrue();
        assertThat(permits(p, withHeaders("x-group", "a"))).isFalse();
        AuthorizationPolicy whole = policy(allow("request.headers.exists(k, k == \"x-group\" && request.headers[k] == \"a, b\")"));
        assertThat(permits(whole, withHeaders("X-Group", "a", "x-group", "b"))).as("iterating the map").isTrue();
    }

    @Test
    void headerPresenceAndMapFunctions() {
        assertThat(permits(policy(allow("\"x-api-key\" in request.headers")), withHeaders("X-Api-Key", "k"))).isTrue();
        assertThat(permits(policy(allow("has(request.headers.authorization)")), withHeaders())).isFalse();
        assertThat(permits(policy(deny("request.headers[\"x-debug\"] == \"1\"")), withHeaders()))
                .as("a deny on an absent header errors, so does not deny").isTrue();
        assertThat(permits(policy(allow("size(request.headers) == 2")), withHeaders("a", "1", "A", "2"))).isTrue();
    }

    @Test
    void methodAndPath() {
        AuthorizationPolicy p = policy(allow("request.method == \"GET\" && request.path.startsWith(\"/api/\")"),
                allow("request.method == \"POST\" && request.path == \"/api/items\""));
        assertThat(permits(p, request(HttpMethod.GET, "/api/items/7", null, "10.0.0.1"))).isTrue();
        assertThat(permits(p, request(HttpMethod.POST, "/api/items", null, "10.0.0.1"))).isTrue();
        assertThat(permits(p, request(HttpMethod.POST, "/api/items/7", null, "10.0.0.1"))).isFalse();
        assertThat(permits(p, request(HttpMethod.DELETE, "/api/items", null, "10.0.0.1"))).isFalse();
        assertThat(permits(policy(allow("request.path.matches(\"^/api/items/[0-9]+$\")")),
                request(HttpMethod.GET, "/api/items/42", null, "10.0.0.1"))).isTrue();
    }

    @Test
    void hostAndScheme() {
        assertThat(permits(policy(allow("request.host == \"api.example.com:8443\" && request.scheme == \"https\"")),
                withHeaders())).isTrue();
        assertThat(permits(policy(allow("request.host.startsWith(\"other.\")")), withHeaders())).isFalse();
    }

    @Test
    void sourceAddress() {
        AuthorizationPolicy internal = policy(require("source.address.startsWith(\"10.\")"));
        assertThat(permits(internal, request(HttpMethod.GET, "/", null, "10.9.8.7"))).isTrue();
        assertThat(permits(internal, request(HttpMethod.GET, "/", null, "192.168.1.1"))).isFalse();
        assertThat(permits(policy(allow("source.address == \"::1\"")), request(HttpMethod.GET, "/", null, "::1"))).isTrue();
    }

    @Test
    void variablesCombineInOneRule() {
        AuthorizationPolicy p = policy(
                allow("\"admin\" in jwt.roles && request.headers[\"x-tenant\"] == \"acme\" && source.address == \"10.1.2.3\""));
        assertThat(permits(p, request(HttpMethod.GET, "/", ALICE, "10.1.2.3", "x-tenant", "acme"))).isTrue();
        assertThat(permits(p, request(HttpMethod.GET, "/", ALICE, "10.1.2.4", "x-tenant", "acme"))).isFalse();
        assertThat(permits(p, request(HttpMethod.GET, "/", BOB, "10.1.2.3", "x-tenant", "acme"))).isFalse();
    }

    @Test
    void aComprehensionPastTheIterationBudgetIsAnError() {
        List<Long> groups = new ArrayList<>();
        for (long i = 0; i < 200; i++) {
            groups.add(i);
        }
        Map<String, Object> claims = Map.of("groups", groups);
        assertThat(permits(policy(allow("jwt.groups.all(g, g >= 0)")), withClaims(claims))).isTrue();
        // 200 x 200 iterations is past the budget of 10,000 per evaluation: an error, so the rule does not hold.
        assertThat(permits(policy(allow("jwt.groups.all(g, jwt.groups.all(h, h >= 0))")), withClaims(claims))).isFalse();
        assertThat(permits(policy(deny("jwt.groups.exists(g, jwt.groups.exists(h, h < 0))")), withClaims(claims))).isTrue();
    }

    @Test
    void aRuleSettingSeveralKindsIsRefusedAtCompile() {
        assertThatThrownBy(() -> policy(new RuleConfig("true", "false", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly one of allow, deny, require");
        assertThatThrownBy(() -> policy(new RuleConfig(null, null, null))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRuleThatDoesNotCompileIsRefusedAtCompile() {
        assertThatThrownBy(() -> policy(allow("jwt.sub ==")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jwt.sub ==");
        assertThatThrownBy(() -> policy(require("1 + 1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected type 'bool' but found 'int'");
    }
}
