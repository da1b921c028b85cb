package io.portcullis.config;

import io.portcullis.config.policy.AuthorizationConfig;
import io.portcullis.config.policy.AuthorizationConfig.RuleConfig;
import io.portcullis.policy.authz.RuleCompiler;
import java.util.List;

/**
 * Checks {@code authorization}: {@code rules} is present, each rule sets exactly one of allow, deny and
 * require, and its expression compiles to a boolean in the rule environment. Compile errors are reported
 * at the rule, in CEL's words with the column inside the expression:
 * {@code ...policies.authorization.rules[2]: expected type 'bool' but found 'int' (expression column 3) at line 14}.
 * An empty list is accepted, as in agentgateway: no rules let every request through.
 */
final class AuthorizationValidator {
    private final Reporter report;

    AuthorizationValidator(Reporter report) {
        this.report = report;
    }

    void validate(AuthorizationConfig config) {
        List<RuleConfig> rules = config.rules();
        if (!report.required(config, "rules", rules, "a list of CEL rules")) {
            return;
        }
        for (RuleConfig rule : rules) {
            if (rule == null) {
                continue; // binding reported the empty entry
            }
            int kinds = (rule.allow() != null ? 1 : 0) + (rule.deny() != null ? 1 : 0) + (rule.require() != null ? 1 : 0);
            if (kinds != 1) {
                report.exactlyOne(rule, "allow, deny, require", rule.allow(), rule.deny(), rule.require());
                continue;
            }
            String expression = rule.allow() != null ? rule.allow() : rule.deny() != null ? rule.deny() : rule.require();
            String problem = RuleCompiler.compileProblem(expression);
            if (problem != null) {
                report.error(rule, problem);
            }
        }
    }
}
