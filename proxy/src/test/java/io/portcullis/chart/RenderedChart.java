package io.portcullis.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The repository's {@code chart/} rendered by real Helm (helm-java bundles the Helm library), parsed back into
 * plain maps, one per Kubernetes object, with small accessors for the checks of the chart tests.
 */
final class RenderedChart {
    static final String RELEASE = "gw";
    static final String NAMESPACE = "aiops";

    final String text;
    final List<Map<String, Object>> objects;

    private RenderedChart(String text, List<Map<String, Object>> objects) {
        this.text = text;
        this.objects = objects;
    }

    static Path chartDir() {
        return Path.of(System.getProperty("portcullis.repo"), "chart");
    }

    /** {@code helm template gw chart/ -n aiops [-f values] [--set k=v ...]}. */
    static RenderedChart render(Path valuesFile, Map<String, Object> sets) {
        TemplateCommand template = new Helm(chartDir()).template().withName(RELEASE).withNamespace(NAMESPACE);
        if (valuesFile != null) {
            template = template.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            template = template.set(set.getKey(), set.getValue());
        }
        String text = template.call();
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object doc : yaml().loadAll(text)) {
            if (doc != null) {
                objects.add(map(doc));
            }
        }
        return new RenderedChart(text, objects);
    }

    static RenderedChart render(Path valuesFile) {
        return render(valuesFile, Map.of());
    }

    /** {@code helm lint --strict} on a copy of the chart whose values.yaml is {@code values} (null: the chart's). */
    static LintResult lint(Path values, Path scratch) throws IOException {
        Path chart = chartDir();
        if (values != null) {
            Path copy = scratch.resolve("chart");
            try (Stream<Path> files = Files.walk(chartDir())) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path to = copy.resolve(chartDir().relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            Files.copy(values, copy.resolve("values.yaml"), StandardCopyOption.REPLACE_EXISTING);
            chart = copy;
        }
        return new Helm(chart).lint().strict().call();
    }

    List<Map<String, Object>> all(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    /** The single object of {@code kind}; fails when there is none or several. */
    Map<String, Object> one(String kind) {
        List<Map<String, Object>> found = all(kind);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " objects of kind " + kind + " in:\n" + text);
        }
        return found.get(0);
    }

    Map<String, Object> podSpec() {
        return map(path(one("Deployment"), "spec", "template", "spec"));
    }

    Map<String, Object> container() {
        return map(list(podSpec().get("containers")).get(0));
    }

    /** The ConfigMap's {@code data} entry {@code key}. */
    String configFile(String key) {
        return (String) map(one("ConfigMap").get("data")).get(key);
    }

    /** The gateway config of the ConfigMap, parsed. */
    Map<String, Object> gatewayConfig() {
        return map(yaml().load(configFile("config.yaml")));
    }

    static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    /** {@code path(o, "spec", "template")}: nested map lookup, null when a step is missing. */
    static Object path(Object o, String... keys) {
        Object cur = o;
        for (String key : keys) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(key);
        }
        return cur;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }
}
