package io.portcullis.chart;

import static io.portcullis.chart.RenderedChart.list;
import static io.portcullis.chart.RenderedChart.map;
import static io.portcullis.chart.RenderedChart.path;
import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import io.portcullis.testing.Closeables;
import io.portcullis.testing.Curl;
import io.portcullis.testing.GatewayProcess;
import io.portcullis.testing.Python;
import io.portcullis.testing.RunningGateway;
import io.portcullis.testing.TestBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Helm chart ({@code chart/}) through real Helm: lint, render with its defaults and with seed 002's
 * values.yaml verbatim (section 5), check the rendered pod against the Pod Security Standard
 * {@code restricted}, check that no credential is in values or ConfigMaps, and run the rendered gateway
 * config through the real loader ({@code --validate-only}) and the real gateway.
 */
class ChartIT {
    private static final String DEFAULTS = "chart defaults";
    private static final String SEED = "seed 002 values.yaml";
    private static final Path SEED_VALUES = Python.resources("seed/values.yaml");

    @TempDir
    static Path dir;
    static Path caFile;
    static Path signingKey;
    static Path jwks;
    static TestBackend backend;

    @BeforeAll
    static void keys() throws Exception {
        caFile = dir.resolve("cluster-ca.crt"); // what kube-root-ca.crt projects into the pod
        Python.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("ca.key").toString(),
                "-out", caFile.toString(), "-days", "2", "-subj", "/CN=cluster-ca");
        signingKey = dir.resolve("private.pem");
        Path publicKey = dir.resolve("public.pem");
        jwks = dir.resolve("jwks.json");
        Python.openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", signingKey.toString());
        Python.openssl("rsa", "-in", signingKey.toString(), "-pubout", "-out", publicKey.toString());
        Python.script(Python.resources("seed/generate_jwks.py"), "--key", publicKey.toString(), "--kid", "my-key-1",
                "--out", jwks.toString());
        backend = new TestBackend();
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(backend);
    }

    private static Path values(String which) {
        return which.equals(SEED) ? SEED_VALUES : null;
    }

    @ParameterizedTest
    @ValueSource(strings = {DEFAULTS, SEED})
    void lintPassesStrict(String which) throws Exception {
        LintResult lint = RenderedChart.lint(values(which), Files.createTempDirectory(dir, "lint"));
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {DEFAULTS, SEED})
    void rendersEveryObjectOfTheSeedStructure(String which) {
        RenderedChart chart = RenderedChart.render(values(which));
        String secretName = which.equals(SEED) ? "agentgateway-backend-creds" : "portcullis-backend-creds";

        Map<String, Object> service = chart.one("Service");
        assertThat(path(service, "spec", "type")).isEqualTo("ClusterIP");
        assertThat(list(path(service, "spec", "ports"))).extracting(p -> map(p).get("name"), p -> map(p).get("port"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("http", 8080),
                        org.assertj.core.groups.Tuple.tuple("metrics", 9090));

        assertThat(chart.one("ServiceAccount").get("automountServiceAccountToken")).isEqualTo(false);
        Map<String, Object> rule = map(list(chart.one("Role").get("rules")).get(0));
        assertThat(rule.get("resourceNames")).isEqualTo(List.of(secretName));
        assertThat(rule.get("verbs")).isEqualTo(List.of("get"));
        assertThat(path(chart.one("RoleBinding"), "roleRef", "name")).isEqualTo(path(chart.one("Role"), "metadata", "name"));
        assertThat(path(chart.one("ExternalSecret"), "spec", "target", "name")).isEqualTo(secretName);
        assertThat(path(chart.one("PodDisruptionBudget"), "spec", "minAvailable")).isEqualTo(1);

        List<Map<String, Object>> policies = chart.all("NetworkPolicy");
        assertThat(policies).hasSize(2);
        Map<String, Object> denyAll = policies.get(0);
        assertThat(map(denyAll.get("spec"))).doesNotContainKeys("ingress", "egress");
        assertThat(path(denyAll, "spec", "policyTypes")).isEqualTo(List.of("Ingress", "Egress"));
        assertThat(list(path(policies.get(1), "spec", "egress"))).hasSize(3); // DNS, 5000, 443
        Map<String, Object> agents = map(list(path(policies.get(1), "spec", "ingress")).get(0));
        assertThat(agents.get("from")).isEqualTo(List.of(Map.of("podSelector", Map.of("matchLabels", Map.of("app", "ai-agent")))));
        assertThat(list(agents.get("ports"))).containsExactly(Map.of("port", 8080, "protocol", "TCP"));

        Map<String, Object> pod = chart.podSpec();
        assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
        assertThat(pod.get("serviceAccountName")).isEqualTo(path(chart.one("ServiceAccount"), "metadata", "name"));
        Map<String, Object> saToken = volume(pod, "sa-token");
        Map<String, Object> projected = map(map(list(path(saToken, "projected", "sources")).get(0)).get("serviceAccountToken"));
        assertThat(projected).containsEntry("expirationSeconds", 3600)
                .containsEntry("audience", "https://kubernetes.default.svc.cluster.local");
        assertThat(volume(pod, "tmp")).containsKey("emptyDir");
        assertThat(mountPath(chart, "tmp")).isEqualTo("/tmp");

        Map<String, Object> container = chart.container();
        assertThat(path(container, "resources", "limits")).isEqualTo(Map.of("memory", "128Mi", "cpu", "500m"));
        assertThat(path(container, "resources", "requests")).isEqualTo(Map.of("memory", "64Mi", "cpu", "100m"));
        assertThat(path(container, "livenessProbe", "httpGet")).isEqualTo(Map.of("path", "/healthz", "port", "http"));
        assertThat(path(container, "readinessProbe", "httpGet")).isEqualTo(Map.of("path", "/ready", "port", "readiness"));
        assertThat(list(container.get("ports"))).extracting(p -> map(p).get("containerPort")).containsExactly(8080, 9090, 15021);
        assertThat(list(container.get("env"))).singleElement().satisfies(e -> {
            assertThat(map(e).get("name")).isEqualTo("BACKEND_TOKEN");
            assertThat(path(e, "valueFrom", "secretKeyRef")).isEqualTo(Map.of("name", secretName, "key", "BACKEND_TOKEN"));
        });
        assertThat((String) path(chart.one("Deployment"), "spec", "template", "metadata", "annotations", "checksum/config"))
                .matches("[0-9a-f]{64}");
    }

    @Test
    void configChecksumFollowsTheConfig() {
        String before = checksum(RenderedChart.render(null));
        assertThat(checksum(RenderedChart.render(null))).isEqualTo(before);
        assertThat(checksum(RenderedChart.render(null, Map.of("gateway.issuer", "other-issuer")))).isNotEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {DEFAULTS, SEED})
    void podSatisfiesTheRestrictedPodSecurityStandard(String which) {
        RenderedChart chart = RenderedChart.render(values(which));
        assertThat(PodSecurity.restrictedViolations(chart.podSpec())).isEmpty();
        Map<String, Object> sc = map(chart.container().get("securityContext"));
        assertThat(sc).containsEntry("allowPrivilegeEscalation", false).containsEntry("readOnlyRootFilesystem", true);
        assertThat(path(sc, "capabilities", "drop")).isEqualTo(List.of("ALL"));
        Map<String, Object> podContext = map(chart.podSpec().get("securityContext"));
        assertThat(podContext).containsEntry("runAsNonRoot", true).containsEntry("runAsUser", 65534);
        assertThat(path(podContext, "seccompProfile", "type")).isEqualTo("RuntimeDefault");
    }

    @Test
    void restrictedCheckRefusesAWeakenedPod() {
        RenderedChart chart = RenderedChart.render(null, Map.of(
                "securityContext.container.allowPrivilegeEscalation", "true",
                "securityContext.pod.runAsNonRoot", "false",
                "securityContext.pod.seccompProfile.type", "Unconfined",
                "securityContext.container.capabilities.add[0]", "NET_ADMIN"));
        assertThat(PodSecurity.restrictedViolations(chart.podSpec())).containsExactlyInAnyOrder(
                "pod: seccompProfile Unconfined",
                "container portcullis: allowPrivilegeEscalation is not false",
                "container portcullis: runAsNonRoot is not true (pod or container)",
                "container portcullis: capability NET_ADMIN added");
    }

    @ParameterizedTest
    @ValueSource(strings = {DEFAULTS, SEED})
    void noSecretValueInValuesOrConfigMaps(String which) throws Exception {
        RenderedChart chart = RenderedChart.render(values(which));
        Path valuesFile = which.equals(SEED) ? SEED_VALUES : RenderedChart.chartDir().resolve("values.yaml");
        assertThat(SecretScan.findings(Files.readString(valuesFile))).isEmpty();
        assertThat(chart.all("Secret")).isEmpty();
        for (Map<String, Object> configMap : chart.all("ConfigMap")) {
            for (Object value : map(configMap.get("data")).values()) {
                assertThat(SecretScan.findings((String) value)).isEmpty();
            }
        }
        assertThat(SecretScan.privateJwkMembers(chart.configFile("jwks.json"))).isEmpty();
        // The backend credential reaches the config only as a reference, from a Secret, through the environment.
        assertThat(chart.configFile("config.yaml")).contains("Authorization: \"Bearer ${BACKEND_TOKEN}\"");
        for (Object e : list(chart.container().get("env"))) {
            assertThat(map(e)).doesNotContainKey("value");
        }
    }

    @Test
    void secretScanFindsCredentials() throws Exception {
        Path privateJwks = dir.resolve("private-jwks.json");
        Files.writeString(privateJwks, "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"k\",\"k\":\"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0\"}]}");
        RenderedChart chart = RenderedChart.render(null, Map.of("gateway.jwks", Files.readString(privateJwks)));
        assertThat(SecretScan.privateJwkMembers(chart.configFile("jwks.json"))).containsExactly("k");
        String token = Python.script(Python.resources("seed/mint.py"), signingKey.toString(), "GET", "http://x/mcp").trim();
        assertThat(SecretScan.findings("a: " + token + "\nb: Bearer abc.def\nc: |\n  -----BEGIN PRIVATE KEY-----\n"))
                .hasSize(3);
    }

    @Test
    void dpopValuesAreRendered() {
        Map<String, Object> dpop = jwtAuth(RenderedChart.render(SEED_VALUES), "mcp-proxy").get("dpop") instanceof Map<?, ?> m
                ? map(m) : Map.of();
        assertThat(dpop).isEqualTo(Map.of("enforceHtuHtm", true, "maxTokenAgeSeconds", 300));
        RenderedChart changed = RenderedChart.render(SEED_VALUES,
                Map.of("gateway.dpop.enforceHtuHtm", "false", "gateway.dpop.maxTokenAgeSeconds", "60"));
        for (String route : List.of("mcp-proxy", "secrets-proxy")) {
            assertThat(jwtAuth(changed, route).get("dpop")).isEqualTo(Map.of("enforceHtuHtm", false, "maxTokenAgeSeconds", 60));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {DEFAULTS, SEED})
    void renderedConfigPassesValidateOnly(String which) throws Exception {
        RenderedChart chart = RenderedChart.render(values(which));
        Path root = Files.createTempDirectory(dir, "pod");
        Path config = materialize(chart, root);
        GatewayProcess.Result r = GatewayProcess.run(secretEnv(chart), "-f", config.toString(), "--validate-only");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains(": ok (1 binds)");
    }

    @Test
    void optionalPartsCanBeTurnedOff() throws Exception {
        RenderedChart chart = RenderedChart.render(null, Map.of("pdb.enabled", "false", "networkPolicy.enabled", "false",
                "externalSecret.enabled", "false", "gateway.routes.secrets.enabled", "false", "javaOpts", "-Xmx64m"));
        assertThat(chart.all("PodDisruptionBudget")).isEmpty();
        assertThat(chart.all("NetworkPolicy")).isEmpty();
        assertThat(chart.all("ExternalSecret")).isEmpty();
        assertThat(list(chart.container().get("env"))).containsExactly(Map.of("name", "PORTCULLIS_JAVA_OPTS", "value", "-Xmx64m"));
        assertThat(chart.configFile("config.yaml")).doesNotContain("secrets-proxy").doesNotContain("BACKEND_TOKEN");
        Path config = materialize(chart, Files.createTempDirectory(dir, "pod"));
        GatewayProcess.Result r = GatewayProcess.run(Map.of(), "-f", config.toString(), "--validate-only");
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @Test
    void imageDefaultsToPortcullisAndMatchesTheDockerfile() throws Exception {
        String appVersion = (String) map(RenderedChart.yaml().load(
                Files.readString(RenderedChart.chartDir().resolve("Chart.yaml")))).get("appVersion");
        assertThat(RenderedChart.render(null).container().get("image")).isEqualTo("ghcr.io/portcullis/portcullis:" + appVersion);
        assertThat(RenderedChart.render(SEED_VALUES).container().get("image")).isEqualTo("ghcr.io/agentgateway/agentgateway:0.12.0");
        assertThat(RenderedChart.render(null, Map.of("image.tag", "sha256:0123abcd")).container().get("image"))
                .isEqualTo("ghcr.io/portcullis/portcullis@sha256:0123abcd");

        RenderedChart chart = RenderedChart.render(null);
        List<Object> command = list(chart.container().get("command"));
        assertThat(command).containsExactly("portcullis", "-f", "/etc/portcullis/config.yaml");
        assertThat(mountPath(chart, "config") + "/config.yaml").isEqualTo(command.get(2));
        String dockerfile = Files.readString(Path.of(System.getProperty("portcullis.repo"), "Dockerfile"));
        assertThat(dockerfile).contains("ENTRYPOINT [\"portcullis\", \"-f\", \"/etc/portcullis/config.yaml\"]");
    }

    @Test
    void renderedGatewayServesTheProbeAndEnforcesTheValues() throws Exception {
        Map<String, Object> sets = new LinkedHashMap<>();
        sets.put("gateway.routes.mcp.backend", backend.hostPort());
        sets.put("gateway.jwks", Files.readString(jwks));
        RenderedChart chart = RenderedChart.render(SEED_VALUES, sets);
        sets.put("gateway.dpop.maxTokenAgeSeconds", "60");
        RenderedChart strict = RenderedChart.render(SEED_VALUES, sets);
        try (RunningGateway gw = start(chart); RunningGateway young = start(strict)) {
            assertThat(Curl.run(gw.url("/healthz")).status()).isEqualTo(200); // the liveness / readiness probe
            assertThat(Curl.run("-X", "POST", gw.url("/mcp")).status()).isEqualTo(401);
            String token = mint(gw, "POST", 0);
            assertThat(Curl.run("-X", "POST", "-H", "Authorization: Bearer " + token, gw.url("/mcp")).status()).isEqualTo(200);
            assertThat(Curl.run("-X", "POST", "-H", "Authorization: Bearer " + mint(gw, "GET", 0), gw.url("/mcp")).status())
                    .as("htm enforced").isEqualTo(401);
            String twoMinutesOld = mint(young, "POST", -120);
            Curl.Result tooOld = Curl.run("-X", "POST", "-H", "Authorization: Bearer " + twoMinutesOld, young.url("/mcp"));
            assertThat(tooOld.status()).as("maxTokenAgeSeconds: 60").isEqualTo(401);
            assertThat(Curl.run("-X", "POST", "-H", "Authorization: Bearer " + mint(gw, "POST", -120), gw.url("/mcp")).status())
                    .as("maxTokenAgeSeconds: 300").isEqualTo(200);
        }
    }

    private static String mint(RunningGateway gw, String method, int iatOffset) throws Exception {
        return Python.script(Python.resources("seed/mint.py"), signingKey.toString(), method, gw.url("/mcp"), "1",
                Integer.toString(iatOffset), "300").trim();
    }

    private static RunningGateway start(RenderedChart chart) throws Exception {
        Path config = materialize(chart, Files.createTempDirectory(dir, "pod"));
        String yaml = Files.readString(config).replace("- port: 8080", "- port: 0")
                .replace("statsAddr: \"0.0.0.0:9090\"", "statsAddr: \"off\"");
        return RunningGateway.start(yaml, secretEnv(chart));
    }

    /**
     * Lays out what the pod's containers see under {@code root}: the ConfigMap at its mount path and the projected
     * service account CA, with the config's absolute paths pointed there. Returns the config file the container
     * command names.
     */
    private static Path materialize(RenderedChart chart, Path root) throws Exception {
        String configDir = mountPath(chart, "config");
        String saDir = mountPath(chart, "sa-token");
        Path configHere = Files.createDirectories(root.resolve(configDir.substring(1)));
        for (Map.Entry<String, Object> e : map(chart.one("ConfigMap").get("data")).entrySet()) {
            String text = ((String) e.getValue()).replace(configDir + "/", configHere + "/")
                    .replace(saDir + "/", root.resolve(saDir.substring(1)) + "/");
            Files.writeString(configHere.resolve(e.getKey()), text);
        }
        Path saHere = Files.createDirectories(root.resolve(saDir.substring(1)));
        Files.copy(caFile, saHere.resolve("ca.crt"));
        String command = (String) list(chart.container().get("command")).get(2);
        return root.resolve(command.substring(1));
    }

    /** A stand-in value for every variable the container takes from a Secret. */
    private static Map<String, String> secretEnv(RenderedChart chart) {
        Map<String, String> env = new HashMap<>();
        for (Object e : list(chart.container().get("env"))) {
            if (path(e, "valueFrom", "secretKeyRef") != null) {
                env.put((String) map(e).get("name"), "test-" + map(e).get("name"));
            }
        }
        return env;
    }

    private static Map<String, Object> jwtAuth(RenderedChart chart, String route) {
        Map<String, Object> listener = map(list(map(list(chart.gatewayConfig().get("binds")).get(0)).get("listeners")).get(0));
        for (Object r : list(listener.get("routes"))) {
            if (route.equals(map(r).get("name"))) {
                return map(path(r, "policies", "jwtAuth"));
            }
        }
        throw new AssertionError("no route " + route);
    }

    private static Map<String, Object> volume(Map<String, Object> pod, String name) {
        return list(pod.get("volumes")).stream().map(RenderedChart::map).filter(v -> name.equals(v.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static String mountPath(RenderedChart chart, String volume) {
        return list(chart.container().get("volumeMounts")).stream().map(RenderedChart::map)
                .filter(m -> volume.equals(m.get("name"))).map(m -> (String) m.get("mountPath"))
                .findFirst().orElseThrow(() -> new AssertionError("no mount of " + volume));
    }

    private static String checksum(RenderedChart chart) {
        return (String) path(chart.one("Deployment"), "spec", "template", "metadata", "annotations", "checksum/config");
    }
}
