package io.portcullis.config;

import io.portcullis.config.policy.PoliciesConfig;
import java.util.List;

/** {@code routes[]}: matched first-match in file order. Needs {@code backends} or a local-reply policy. */
public record RouteConfig(
        String name,
        List<String> hostnames,
        List<MatchConfig> matches,
        PoliciesConfig policies,
        List<BackendConfig> backends) {}
