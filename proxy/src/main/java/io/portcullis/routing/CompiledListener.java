package io.portcullis.routing;

/** A listener of a bind: its hostname matcher and its route table. */
public record CompiledListener(String name, HostnameMatcher hostname, RouteTable routes) {}
