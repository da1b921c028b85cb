package io.portcullis.config;

import java.util.List;

/** {@code matches[]}: entries are OR-ed; the fields inside one entry are AND-ed. */
public record MatchConfig(
        PathMatchConfig path, String method, List<HeaderMatchConfig> headers, List<HeaderMatchConfig> query) {}
