package io.portcullis.chart;

import static io.portcullis.chart.RenderedChart.list;
import static io.portcullis.chart.RenderedChart.map;
import static io.portcullis.chart.RenderedChart.path;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Kubernetes Pod Security Standard {@code restricted} (which includes {@code baseline}), as the admission
 * controller checks it on a pod spec, plus the read-only root filesystem seed 002 section 8.2 requires.
 * Returns one line per violation, so a failing test says what is wrong.
 */
final class PodSecurity {
    private static final Set<String> RESTRICTED_VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir",
            "ephemeral", "persistentVolumeClaim", "projected", "secret", "name");
    private static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");
    private static final Set<String> SECCOMP_OK = Set.of("RuntimeDefault", "Localhost");

    private PodSecurity() {}

    static List<String> restrictedViolations(Map<String, Object> pod) {
        List<String> v = new ArrayList<>();
        for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (Boolean.TRUE.equals(pod.get(host))) {
                v.add("pod: " + host + " is true");
            }
        }
        for (Object o : list(pod.get("volumes"))) {
            Map<String, Object> volume = map(o);
            for (String type : volume.keySet()) {
                if (!RESTRICTED_VOLUMES.contains(type)) {
                    v.add("volume " + volume.get("name") + ": type " + type + " is not allowed");
                }
            }
        }
        Map<String, Object> podContext = map(pod.get("securityContext"));
        for (Object o : list(podContext.get("sysctls"))) {
            if (!SAFE_SYSCTLS.contains(map(o).get("name"))) {
                v.add("pod: unsafe sysctl " + map(o).get("name"));
            }
        }
        boolean podNonRoot = Boolean.TRUE.equals(podContext.get("runAsNonRoot"));
        String podSeccomp = (String) path(podContext, "seccompProfile", "type");
        if (podSeccomp != null && !SECCOMP_OK.contains(podSeccomp)) {
            v.add("pod: seccompProfile " + podSeccomp);
        }
        runsAsRoot("pod", podContext, v);
        seLinux("pod", podContext, v);

        List<Object> containers = new ArrayList<>(list(pod.get("containers")));
        containers.addAll(list(pod.get("initContainers")));
        containers.addAll(list(pod.get("ephemeralContainers")));
        if (list(pod.get("containers")).isEmpty()) {
            v.add("pod: no containers");
        }
        for (Object o : containers) {
            Map<String, Object> c = map(o);
            String who = "container " + c.get("name");
            Map<String, Object> sc = map(c.get("securityContext"));
            if (Boolean.TRUE.equals(sc.get("privileged"))) {
                v.add(who + ": privileged");
            }
            if (!Boolean.FALSE.equals(sc.get("allowPrivilegeEscalation"))) {
                v.add(who + ": allowPrivilegeEscalation is not false");
            }
            Object nonRoot = sc.get("runAsNonRoot");
            if (Boolean.FALSE.equals(nonRoot) || !podNonRoot && !Boolean.TRUE.equals(nonRoot)) {
                v.add(who + ": runAsNonRoot is not true (pod or container)");
            }
            runsAsRoot(who, sc, v);
            seLinux(who, sc, v);
            String seccomp = (String) path(sc, "seccompProfile", "type");
            if (seccomp == null ? podSeccomp == null : !SECCOMP_OK.contains(seccomp)) {
                v.add(who + ": seccompProfile is not RuntimeDefault or Localhost");
            }
            List<Object> drop = list(path(sc, "capabilities", "drop"));
            if (!drop.contains("ALL")) {
                v.add(who + ": capabilities.drop does not contain ALL");
            }
            for (Object add : list(path(sc, "capabilities", "add"))) {
                if (!"NET_BIND_SERVICE".equals(add)) {
                    v.add(who + ": capability " + add + " added");
                }
            }
            if (sc.get("procMount") != null && !"Default".equals(sc.get("procMount"))) {
                v.add(who + ": procMount " + sc.get("procMount"));
            }
            if ("Unconfined".equals(path(sc, "appArmorProfile", "type"))) {
                v.add(who + ": appArmorProfile Unconfined");
            }
            for (Object p : list(c.get("ports"))) {
                Object hostPort = map(p).get("hostPort");
                if (hostPort != null && ((Number) hostPort).intValue() != 0) {
                    v.add(who + ": hostPort " + hostPort);
                }
            }
            if (!Boolean.TRUE.equals(sc.get("readOnlyRootFilesystem"))) {
                v.add(who + ": readOnlyRootFilesystem is not true (seed 002, 8.2)");
            }
        }
        return v;
    }

    private static void runsAsRoot(String who, Map<String, Object> context, List<String> v) {
        Object uid = context.get("runAsUser");
        if (uid instanceof Number n && n.longValue() == 0) {
            v.add(who + ": runAsUser 0");
        }
    }

    private static void seLinux(String who, Map<String, Object> context, List<String> v) {
        Map<String, Object> se = map(context.get("seLinuxOptions"));
        Object type = se.get("type");
        if (type != null && !Set.of("", "container_t", "container_init_t", "container_kvm_t", "container_engine_t").contains(type)) {
            v.add(who + ": seLinuxOptions.type " + type);
        }
        if (se.get("user") != null || se.get("role") != null) {
            v.add(who + ": seLinuxOptions user/role set");
        }
    }
}
