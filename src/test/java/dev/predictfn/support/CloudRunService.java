package dev.predictfn.support;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * What {@code cloudrun/service.yaml} tells Cloud Run about the application's container, the ingress
 * container (the one with a port; the others are sidecars).
 */
public record CloudRunService(
    String image,
    int containerPort,
    String cpu,
    String memory,
    int containerConcurrency,
    int timeoutSeconds,
    Probe startupProbe,
    Probe livenessProbe,
    Map<String, String> env) {

  /** An HTTP probe: the path and port Cloud Run sends GET to. */
  public record Probe(String path, int port) {}

  public static final Path FILE = Path.of("cloudrun", "service.yaml");

  @SuppressWarnings("unchecked")
  public static CloudRunService load() throws IOException {
    Map<String, Object> root;
    try (Reader reader = Files.newBufferedReader(FILE)) {
      root = new Yaml().load(reader);
    }
    Map<String, Object> spec = map(map(map(root, "spec"), "template"), "spec");
    List<Map<String, Object>> ingress =
        ((List<Map<String, Object>>) spec.getOrDefault("containers", List.of()))
            .stream().filter(c -> c.containsKey("ports")).toList();
    if (ingress.size() != 1) {
      throw new IllegalStateException(FILE + " must declare exactly one container with a port");
    }
    Map<String, Object> container = ingress.get(0);
    List<Map<String, Object>> ports = (List<Map<String, Object>>) container.get("ports");
    Map<String, Object> limits = map(map(container, "resources"), "limits");
    Map<String, String> env = new java.util.LinkedHashMap<>();
    for (Map<String, Object> variable :
        (List<Map<String, Object>>) container.getOrDefault("env", List.of())) {
      env.put((String) variable.get("name"), String.valueOf(variable.get("value")));
    }
    return new CloudRunService(
        (String) container.get("image"),
        (Integer) ports.get(0).get("containerPort"),
        String.valueOf(limits.get("cpu")),
        String.valueOf(limits.get("memory")),
        (Integer) spec.get("containerConcurrency"),
        (Integer) spec.get("timeoutSeconds"),
        probe(container, "startupProbe"),
        probe(container, "livenessProbe"),
        env);
  }

  /** The memory limit as podman's --memory takes it (512Mi -> 512m). */
  public String podmanMemory() {
    if (!memory.endsWith("Mi")) {
      throw new IllegalStateException("memory limit " + memory + " is not in Mi");
    }
    return memory.substring(0, memory.length() - 2) + "m";
  }

  private static Probe probe(Map<String, Object> container, String name) {
    Map<String, Object> httpGet = map(map(container, name), "httpGet");
    return new Probe((String) httpGet.get("path"), (Integer) httpGet.get("port"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object child = parent.get(key);
    if (!(child instanceof Map)) {
      throw new IllegalStateException(FILE + ": " + key + " is missing or not a mapping");
    }
    return (Map<String, Object>) child;
  }
}
