package io.portcullis.policy.authz;

import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The CEL environment authorization rules are written in, built once per process: the variables a rule may
 * read, with their types, plus CEL's standard functions and macros ({@code has}, {@code exists}, {@code all},
 * {@code map}, {@code filter}). Every rule is parsed and type-checked against it at load, and must be
 * boolean; {@link #compileProblem} is what the config validator reports, {@link #compile} what the policy
 * runs.
 *
 * <p>Variables (agentgateway's names): {@code jwt} (the validated token's claims; an empty map without a
 * token), {@code request.method}, {@code request.path}, {@code request.host}, {@code request.scheme},
 * {@code request.headers} and {@code source.address}. They are declared as qualified names, so
 * {@code request.headers} is looked up as one variable and only when a rule reads it; {@code request} on
 * its own is not a value.
 *
 * <p>The compiler and runtime are immutable and the programs they make are safe to evaluate from every
 * event loop at once.
 */
public final class RuleCompiler {
    /**
     * Bounds one rule's work at request time: CEL has no unbounded loops, but nested comprehensions over a
     * long claim list multiply. Counted over all comprehensions of one evaluation; past it the evaluation
     * is an error, so the rule does not hold. Far above any sensible rule.
     */
    static final int MAX_COMPREHENSION_ITERATIONS = 10_000;

    private static final int MAX_ISSUES_SHOWN = 3;
    /** Our environment has no container, so CEL's "(in container '')" suffix only adds noise. */
    private static final String EMPTY_CONTAINER = " (in container '')";

    private static final CelOptions OPTIONS = CelOptions.current()
            // 1 == 1.0 and 2 > 1.5, as the CEL spec and agentgateway have it; JSON claims mix int and double.
            .enableHeterogeneousNumericComparisons(true)
            .comprehensionMaxIterations(MAX_COMPREHENSION_ITERATIONS)
            .build();

    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar(RequestVariables.JWT, MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar(RequestVariables.METHOD, SimpleType.STRING)
            .addVar(RequestVariables.PATH, SimpleType.STRING)
            .addVar(RequestVariables.HOST, SimpleType.STRING)
            .addVar(RequestVariables.SCHEME, SimpleType.STRING)
            .addVar(RequestVariables.HEADERS, MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar(RequestVariables.SOURCE_ADDRESS, SimpleType.STRING)
            .setResultType(SimpleType.BOOL)
            .build();

    /**
     * The interpreting runtime rather than the planner: the planner converts a whole map variable into its
     * own value types on every access, so a rule reading one claim paid for copying all of them.
     */
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .setOptions(OPTIONS)
            .build();

    private RuleCompiler() {}

    /**
     * Why {@code expression} cannot be a rule (it does not parse, reads an unknown variable, or is not
     * boolean), in CEL's words with the position inside the expression; null when it compiles.
     */
    public static String compileProblem(String expression) {
        if (expression == null || expression.isBlank()) {
            return "empty (expected: a CEL expression)";
        }
        CelValidationResult result;
        try {
            result = COMPILER.compile(source(expression));
        } catch (RuntimeException e) {
            return "does not compile: " + e.getMessage();
        }
        return result.hasError() ? describe(result) : null;
    }

    /** Compiles a rule that {@link #compileProblem} accepted; throws if it does not compile after all. */
    static CompiledRule compile(String expression) {
        String problem = compileProblem(expression);
        if (problem != null) {
            throw new IllegalArgumentException("authorization rule " + expression + ": " + problem);
        }
        try {
            return new CompiledRule(expression, RUNTIME.createProgram(COMPILER.compile(source(expression)).getAst()));
        } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalArgumentException("authorization rule " + expression + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whitespace means nothing to CEL, but a YAML block scalar ends in a newline, and "unexpected end of input"
     * would then point at an empty line after the expression instead of at its end.
     */
    private static String source(String expression) {
        return expression.stripTrailing();
    }

    private static String describe(CelValidationResult result) {
        List<CelIssue> issues = result.getErrors();
        if (issues.isEmpty()) {
            return result.getErrorString();
        }
        List<String> shown = new ArrayList<>();
        for (CelIssue issue : issues.subList(0, Math.min(issues.size(), MAX_ISSUES_SHOWN))) {
            shown.add(message(issue));
        }
        String described = String.join("; ", shown);
        return issues.size() > MAX_ISSUES_SHOWN
                ? described + " (and " + (issues.size() - MAX_ISSUES_SHOWN) + " more)"
                : described;
    }

    private static String message(CelIssue issue) {
        String message = issue.getMessage();
        if (message.endsWith(EMPTY_CONTAINER)) {
            message = message.substring(0, message.length() - EMPTY_CONTAINER.length());
        }
        CelSourceLocation at = issue.getSourceLocation();
        if (at.getLine() <= 0) {
            return message;
        }
        // CEL columns are 0-based; people count from 1, as CEL's own "<input>:1:3" display does.
        String where = at.getLine() == 1
                ? "column " + (at.getColumn() + 1)
                : "line " + at.getLine() + ", column " + (at.getColumn() + 1);
        return message + " (expression " + where + ")";
    }
}
