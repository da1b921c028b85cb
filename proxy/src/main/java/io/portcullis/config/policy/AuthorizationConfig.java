package io.portcullis.config.policy;

import java.util.List;

/** {@code authorization.rules}: CEL rules; see {@link RuleConfig}. */
public record AuthorizationConfig(List<RuleConfig> rules) {

    /**
     * One rule: {@code allow: expr}, {@code deny: expr} or {@code require: expr}; a bare string is an allow
     * rule. A request passes when no deny rule matches, every require rule holds, and, if there are allow
     * rules, at least one of them matches.
     */
    public record RuleConfig(String allow, String deny, String require) {

        public static RuleConfig fromScalar(String expression) {
            return new RuleConfig(expression, null, null);
        }
    }
}
