package dev.predictfn.http;

/**
 * A body size limit for the routes under one path, other than {@code predict.api.max-body-bytes}: a
 * protocol whose callers send larger bodies (BigQuery's batches) declares its own as a bean, and
 * the Netty-level 413 ({@link OversizeBodyDrain}) applies it to declared lengths. The server-wide
 * {@code micronaut.server.max-request-size} must be at least the largest such limit; bodies without
 * a declared length are checked against the route's limit once read.
 */
public interface RouteBodyLimit {
  /** The routes it applies to: this path and everything under it. */
  String pathPrefix();

  /** The largest body accepted on those routes, in bytes. */
  long maxBodyBytes();

  /** Whether {@code path} is one of the routes. */
  default boolean covers(String path) {
    return under(path, pathPrefix());
  }

  /** Whether {@code path} is {@code prefix} or a path below it. */
  static boolean under(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }
}
