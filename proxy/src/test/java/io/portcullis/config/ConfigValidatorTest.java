package io.portcullis.config;

import static io.portcullis.config.ConfigLoaderTest.errorsOf;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Validation rules not covered by the fixture files, each asserted with its exact path and line. The
 * YAML is written so that every other value is valid: the listed errors are all the file produces.
 */
class ConfigValidatorTest {
    private static final String ROUTE = "binds[0].listeners[0].routes[0]";

    @Test
    void bindsAndListeners() {
        String yaml = """
                binds:
                - port: 8080
                  address: localhost
                  listeners: []
                - port: 8081
                  address: 127.0.0.1
                  listeners:
                  - hostname: "bad host"
                    routes: []
                - port: 8081
                  address: 127.0.0.2
                  listeners:
                  - routes:
                    - backends:
                      - host: a:1
                - port: 8081
                  listeners:
                  - routes:
                    - backends:
                      - host: a:1
                - port: 0
                  listeners:
                  - routes:
                    - backends:
                      - host: a:1
                - port: 0
                - listeners:
                  - routes:
                    - backends:
                      - host: a:1
                """;

        assertThat(errorsOf(yaml)).containsExactly(
                "binds[0].address: \"localhost\" (expected: an IP address such as 0.0.0.0, 127.0.0.1 or ::) at line 3",
                "binds[0].listeners: empty (expected: at least one listener) at line 4",
                "binds[1].listeners[0].hostname: \"bad host\" (expected: a host name such as api.example.com "
                        + "or *.example.com) at line 8",
                "binds[1].listeners[0].routes: empty (expected: at least one route) at line 9",
                "binds[3].port: 8081 is already used by binds[1] at line 16",
                "binds[5].listeners: missing (expected: at least one listener) at line 26",
                "binds[6].port: missing (expected: 1-65535, or 0 for an ephemeral port) at line 27");
    }

    @Test
    void matchesAndBackends() {
        String yaml = """
                binds:
                - port: 8080
                  listeners:
                  - routes:
                    - name: r
                      hostnames: ["ok.example.com", "bad_host!"]
                      matches:
                      - path: {}
                        headers:
                        - value: {exact: a}
                        - name: "x y"
                          value: {exact: a, regex: b}
                        - name: x-ok
                        - name: x-re
                          value: {regex: "(("}
                        query:
                        - name: ""
                          value: {exact: "1"}
                      - path:
                          exact: relative
                      backends:
                      - host: a:1
                        weight: -1
                      - host: b:2
                    - name: r
                      matches: []
                      backends:
                      - {}
                """;

        String match = ROUTE + ".matches[0]";
        assertThat(errorsOf(yaml)).containsExactly(
                ROUTE + ".hostnames[1]: \"bad_host!\" (expected: a host name such as api.example.com "
                        + "or *.example.com) at line 6",
                match + ".path: set exactly one of exact, pathPrefix, regex at line 8",
                match + ".headers[0].name: missing (expected: a header name) at line 10",
                match + ".headers[1].name: \"x y\" is not a valid header name at line 11",
                match + ".headers[1].value: set exactly one of exact, regex (found 2) at line 12",
                match + ".headers[2].value: missing (expected: exact or regex) at line 13",
                match + ".headers[3].value.regex: \"((\" does not compile: Unclosed group near index 2 at line 15",
                match + ".query[0].name: empty (expected: a query parameter name) at line 17",
                ROUTE + ".matches[1].path.exact: \"relative\" (expected: a path starting with /) at line 20",
                ROUTE + ".backends[0].weight: -1 (expected: >= 0) at line 23",
                "binds[0].listeners[0].routes[1].name: \"r\" is already used by " + ROUTE + " at line 25",
                "binds[0].listeners[0].routes[1].matches: empty list matches nothing "
                        + "(omit `matches` to match every request) at line 26",
                "binds[0].listeners[0].routes[1].backends[0].host: missing "
                        + "(expected: host:port or http://host[:port]) at line 28");
    }

    @Test
    void policies() {
        String yaml = """
                binds:
                - port: 8080
                  listeners:
                  - routes:
                    - policies:
                        directResponse:
                          body: x
                        requestHeaderModifier:
                          add:
                            host: a
                            ":authority": b
                            X-Crlf: "a\\r\\nb"
                          set:
                            Authorization: a
                            authorization: b
                          remove: [host, "bad name", Connection]
                        responseHeaderModifier:
                          add:
                            host: allowed-in-a-response
                        urlRewrite: {}
                        requestRedirect:
                          scheme: ftp
                          authority: {host: a.example.com, port: 80}
                          path: {prefix: rel}
                        timeout:
                          requestTimeout: 0s
                          backendRequestTimeout: 1ms
                        retry:
                          attempts: 0
                          backoff: 0s
                          codes: [503, 99]
                        maxRequestBodySize: 0
                """;

        String policies = ROUTE + ".policies";
        String modifier = policies + ".requestHeaderModifier";
        assertThat(errorsOf(yaml)).containsExactly(
                policies + ".directResponse.status: missing (expected: 100-599) at line 6",
                modifier + ".add.host: host cannot be added, only set (a request needs exactly one) at line 10",
                modifier + ".add.:authority: \":authority\": pseudo-headers cannot be modified at line 11",
                modifier + ".add.X-Crlf: value contains CR, LF or NUL at line 12",
                modifier + ".set.authorization: same header as Authorization (header names are case-insensitive) "
                        + "at line 15",
                modifier + ".remove[0]: host cannot be removed (a request needs exactly one) at line 16",
                modifier + ".remove[1]: \"bad name\" is not a valid header name at line 16",
                modifier + ".remove[2]: `Connection` is managed by the proxy and cannot be modified at line 16",
                policies + ".urlRewrite: set authority, path or both at line 20",
                policies + ".requestRedirect.scheme: \"ftp\" (expected: http or https) at line 22",
                policies + ".requestRedirect.authority: set exactly one of full, host, port (found 2) at line 23",
                policies + ".requestRedirect.path.prefix: \"rel\" (expected: a path starting with /) at line 24",
                policies + ".timeout.requestTimeout: 0s (expected: more than 0s) at line 26",
                policies + ".retry.attempts: 0 (expected: 1-10) at line 29",
                policies + ".retry.codes[1]: 99 (expected: 100-599) at line 31");
    }

    @Test
    void rewrites() {
        String yaml = """
                binds:
                - port: 8080
                  listeners:
                  - routes:
                    - policies:
                        urlRewrite:
                          authority: {full: "a.example.com:99999"}
                          path: {full: /a, prefix: /b}
                      backends:
                      - host: a:1
                    - policies:
                        urlRewrite:
                          authority: {port: 0}
                        requestRedirect:
                          authority: {host: "not a host"}
                          path: {full: relative}
                """;

        String second = "binds[0].listeners[0].routes[1].policies";
        assertThat(errorsOf(yaml)).containsExactly(
                ROUTE + ".policies.urlRewrite.authority.full: \"a.example.com:99999\" (expected: host[:port]) at line 7",
                ROUTE + ".policies.urlRewrite.path: set exactly one of full, prefix (found 2) at line 8",
                second + ".urlRewrite.authority.port: 0 (expected: 1-65535) at line 13",
                second + ".requestRedirect.authority.host: \"not a host\" (expected: a host name or IP address) "
                        + "at line 15",
                second + ".requestRedirect.path.full: \"relative\" (expected: a path starting with /) at line 16");
    }

    @Test
    void staticConfigAndFrontendLimits() {
        String yaml = """
                config:
                  workerThreads: 300
                  adminAddr: localhost
                  readinessAddr: "[::1]:0"
                  connectionTerminationDeadline: 1s
                  connectionMinTerminationDeadline: 5s
                  logging:
                    format: xml
                  metrics:
                    prefix: 9lives
                  backend:
                    connectTimeout: 0s
                    poolIdleTimeout: 0s
                    poolMaxSize: -1
                frontendPolicies:
                  http:
                    maxBufferSize: 0
                    http1MaxHeaders: 1001
                    http1IdleTimeout: 0s
                    maxRequestLineSize: 2Mi
                    maxRequestBodySize: 0
                    requestHeaderTimeout: 0s
                    maxConnectionDuration: 0s
                    maxRequestsPerConnection: 0
                    trustedProxies: [10.0.0.0/8, example.com]
                binds:
                - port: 8080
                  listeners:
                  - routes:
                    - backends:
                      - host: a:1
                """;

        String http = "frontendPolicies.http";
        assertThat(errorsOf(yaml)).containsExactly(
                "config.workerThreads: 300 (expected: 1-256) at line 2",
                "config.adminAddr: \"localhost\" (expected: host:port, [ipv6]:port or off) at line 3",
                "config.connectionMinTerminationDeadline: 5s is longer than connectionTerminationDeadline 1s at line 6",
                "config.logging.format: \"xml\" (expected: text or json) at line 8",
                "config.metrics.prefix: \"9lives\" (expected: letters, digits and _, not starting with a digit) at line 10",
                "config.backend.connectTimeout: 0s (expected: more than 0s) at line 12",
                "config.backend.poolIdleTimeout: 0s (expected: more than 0s) at line 13",
                "config.backend.poolMaxSize: -1 (expected: >= 0) at line 14",
                http + ".maxBufferSize: 0 (expected: more than 0) at line 17",
                http + ".http1MaxHeaders: 1001 (expected: 1-1000) at line 18",
                http + ".http1IdleTimeout: 0s (expected: more than 0s) at line 19",
                http + ".maxConnectionDuration: 0s (expected: more than 0s) at line 23",
                http + ".maxRequestLineSize: 2Mi (expected: 1Ki-1Mi) at line 20",
                http + ".maxRequestBodySize: 0 (expected: more than 0) at line 21",
                http + ".requestHeaderTimeout: 0s (expected: more than 0s) at line 22",
                http + ".maxRequestsPerConnection: 0 (expected: >= 1) at line 24",
                http + ".trustedProxies[1]: \"example.com\" is not an IP range "
                        + "(expected: an IP or CIDR range such as 10.0.0.0/8 or fd00::/8) at line 25");
    }

    @Test
    void notSupportedYetKeysOutsidePolicies() {
        String yaml = """
                config:
                  hbone: {}
                  logging:
                    filter: x
                frontendPolicies:
                  accessLog: {}
                  http:
                    http2WindowSize: 1
                binds:
                - port: 8080
                  tunnelProtocol: direct
                  listeners:
                  - tcpRoutes: []
                    routes:
                    - ruleName: x
                      backends:
                      - mcp: {}
                        host: a:1
                """;

        assertThat(errorsOf(yaml)).containsExactly(
                "config.hbone: `hbone` is not supported yet at line 2",
                "config.logging.filter: `filter` is not supported yet at line 4",
                "frontendPolicies.accessLog: `accessLog` is not supported yet at line 6",
                "frontendPolicies.http.http2WindowSize: `http2WindowSize` is not supported yet at line 8",
                "binds[0].tunnelProtocol: `tunnelProtocol` is not supported yet at line 11",
                "binds[0].listeners[0].tcpRoutes: `tcpRoutes` is not supported yet at line 13",
                ROUTE + ".ruleName: `ruleName` is not supported yet at line 15",
                ROUTE + ".backends[0].mcp: `mcp` is not supported yet at line 17");
    }

    @Test
    void listenersWithDistinctHostnamesAndOneCatchAllAreFine() throws ConfigException {
        String yaml = """
                binds:
                - port: 8080
                  listeners:
                  - hostname: a.example.com
                    routes: [{backends: [{host: "a:1"}]}]
                  - hostname: "*.example.com"
                    routes: [{backends: [{host: "a:1"}]}]
                  - routes: [{backends: [{host: "a:1"}]}]
                - port: 8080
                  address: 127.0.0.1
                  listeners:
                  - routes: [{policies: {directResponse: {status: 204}}}]
                """;

        assertThat(errorsOf(yaml)).containsExactly("binds[1].port: 8080 is already used by binds[0] at line 9");
    }

    @Test
    void backendHttpVersion() {
        String yaml = """
                binds:
                - port: 8080
                  listeners:
                  - routes:
                    - backends:
                      - host: a:1
                        policies: {http: {version: HTTP/2.0}}
                      - host: b:1
                        policies: {http: {version: "2"}}
                      - host: c:1
                        policies: {backendTLS: {root: ca.pem}}
                """;

        assertThat(errorsOf(yaml)).containsExactly(
                ROUTE + ".backends[2].policies.backendTLS: `backendTLS` is not supported yet at line 11",
                ROUTE + ".backends[1].policies.http.version: \"2\" (expected: HTTP/1.1 or HTTP/2.0) at line 9");
    }
}
