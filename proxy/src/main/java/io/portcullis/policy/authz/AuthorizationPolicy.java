package io.portcullis.policy.authz;

import io.portcullis.config.policy.AuthorizationConfig;
import io.portcullis.config.policy.AuthorizationConfig.RuleConfig;
import io.portcullis.http.LocalReplies;
import io.portcullis.http.ProxyError;
import io.portcullis.policy.Policy;
import io.portcullis.policy.PolicyResult;
import io.portcullis.policy.RequestContext;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code authorization}: CEL rules over the token's claims, the request head and the client address, with
 * agentgateway's semantics. A request is denied (403 {@code forbidden}, reason {@code authorization_denied})
 * when any deny rule holds, or any require rule does not hold, or there are allow rules and none of them
 * holds; otherwise it continues. So allow rules alone form an allowlist, deny rules alone a denylist, and
 * no rules at all let everything through. A rule that fails to evaluate counts as not holding (see
 * {@link CompiledRule#holds}): prefer allow and require rules, since a deny rule that errors does not deny.
 *
 * <pre>
 * authorization:
 *   rules:
 *   - '"admin" in jwt.roles'                                  # allow
 *   - require: 'jwt.iss == "https://idp.example.com"'
 *   - deny: 'request.path.startsWith("/internal/")'
 * </pre>
 *
 * <p>Rules are compiled once at load and the policy is immutable, shared by all event loops; per request it
 * evaluates only until the outcome is known (deny rules, then require rules, then allow rules), reading
 * variables lazily. Evaluation is pure computation with bounded comprehensions: it never blocks.
 */
public final class AuthorizationPolicy implements Policy {
    private static final ProxyError DENIED = ProxyError.FORBIDDEN;

    private final CompiledRule[] deny;
    private final CompiledRule[] require;
    private final CompiledRule[] allow;

    private AuthorizationPolicy(List<CompiledRule> deny, List<CompiledRule> require, List<CompiledRule> allow) {
        this.deny = deny.toArray(new CompiledRule[0]);
        this.require = require.toArray(new CompiledRule[0]);
        this.allow = allow.toArray(new CompiledRule[0]);
    }

    /**
     * Compiles every rule. The validator has already reported rules that do not compile or that set none or
     * several of allow, deny and require; meeting one here is a bug, so it throws.
     */
    public static AuthorizationPolicy compile(AuthorizationConfig config) {
        List<CompiledRule> deny = new ArrayList<>();
        List<CompiledRule> require = new ArrayList<>();
        List<CompiledRule> allow = new ArrayList<>();
        List<RuleConfig> rules = config.rules() == null ? List.of() : config.rules();
        for (RuleConfig rule : rules) {
            int kinds = (rule.allow() != null ? 1 : 0) + (rule.deny() != null ? 1 : 0) + (rule.require() != null ? 1 : 0);
            if (kinds != 1) {
                throw new IllegalArgumentException("authorization rule must set exactly one of allow, deny, require: " + rule);
            }
            if (rule.allow() != null) {
                allow.add(RuleCompiler.compile(rule.allow()));
            } else if (rule.deny() != null) {
                deny.add(RuleCompiler.compile(rule.deny()));
            } else {
                require.add(RuleCompiler.compile(rule.require()));
            }
        }
        return new AuthorizationPolicy(deny, require, allow);
    }

    @Override
    public PolicyResult apply(RequestContext ctx) {
        return permits(ctx) ? PolicyResult.CONTINUE : PolicyResult.respond(LocalReplies.error(DENIED), DENIED.reason());
    }

    /** The decision alone, in agentgateway's order; see the class comment. */
    boolean permits(RequestContext ctx) {
        if (deny.length == 0 && require.length == 0 && allow.length == 0) {
            return true;
        }
        RequestVariables variables = new RequestVariables(ctx);
        for (CompiledRule rule : deny) {
            if (rule.holds(variables)) {
                return false;
            }
        }
        for (CompiledRule rule : require) {
            if (!rule.holds(variables)) {
                return false;
            }
        }
        if (allow.length == 0) {
            return true;
        }
        for (CompiledRule rule : allow) {
            if (rule.holds(variables)) {
                return true;
            }
        }
        return false;
    }
}
