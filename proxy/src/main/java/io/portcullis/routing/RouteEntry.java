package io.portcullis.routing;

/** One (route, match) pair of the flattened route table; the match tells a prefix rewrite what was matched. */
public record RouteEntry(CompiledRoute route, CompiledMatch match) {}
