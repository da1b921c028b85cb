package io.portcullis.policy.authz;

import static java.util.Objects.requireNonNull;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;

/** One type-checked rule, ready to evaluate; immutable and shared by all event loops. */
final class CompiledRule {
    private final String expression;
    private final CelRuntime.Program program;

    CompiledRule(String expression, CelRuntime.Program program) {
        this.expression = requireNonNull(expression, "expression");
        this.program = requireNonNull(program, "program");
    }

    /**
     * Whether the rule evaluates to {@code true}. An evaluation error (a claim or header that is not there,
     * a value of the wrong type) and a result that is not a boolean both count as "does not hold", as in
     * agentgateway's {@code eval_bool}: a deny rule that errors does not deny, a require rule that errors
     * fails, an allow rule that errors does not allow.
     *
     * <p>The CEL runtime reports errors by throwing; that is the one exception on this path, and it is
     * caught here. Unchecked exceptions are caught too: a policy must never throw, and "does not hold" is the
     * fail-safe reading for allow and require rules.
     */
    boolean holds(CelVariableResolver variables) {
        try {
            return Boolean.TRUE.equals(program.eval(variables));
        } catch (CelEvaluationException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return expression;
    }
}
