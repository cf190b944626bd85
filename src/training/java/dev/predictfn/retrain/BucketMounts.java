package dev.predictfn.retrain;

import dev.predictfn.training.TrainingException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the job sees each Cloud Storage bucket: Cloud Run mounts a bucket as a directory (a Cloud
 * Storage volume), so {@code gs://BUCKET/OBJECT} is read and written as {@code DIR/OBJECT} with no
 * client library. Reports keep the {@code gs://} names; only the file operations use the mounts. A
 * name without {@code gs://} is a local path and stays as it is.
 */
public final class BucketMounts {
  private static final String SCHEME = "gs://";

  private final Map<String, Path> mounts;

  private BucketMounts(Map<String, Path> mounts) {
    this.mounts = mounts;
  }

  /**
   * The mounts of the buckets that {@code uris} name, each at the directory paired with it ({@code
   * --data-mount}, {@code --candidates-mount}); a pair without a directory, or one that is not a
   * {@code gs://} URI, mounts nothing.
   */
  public static BucketMounts of(Map<String, Path> uris) {
    Map<String, Path> mounts = new LinkedHashMap<>();
    for (Map.Entry<String, Path> pair : uris.entrySet()) {
      if (pair.getValue() == null || !isUri(pair.getKey())) {
        continue;
      }
      String bucket = bucketOf(pair.getKey());
      Path earlier = mounts.putIfAbsent(bucket, pair.getValue());
      if (earlier != null && !earlier.equals(pair.getValue())) {
        throw new TrainingException(
            "gs://" + bucket + " is mounted at both " + earlier + " and " + pair.getValue());
      }
    }
    return new BucketMounts(mounts);
  }

  private static boolean isUri(String name) {
    return name.startsWith(SCHEME);
  }

  /** The local path of {@code name}: through its bucket's mount for a URI, else the path itself. */
  public Path local(String name) {
    if (!isUri(name)) {
      return Path.of(name);
    }
    String bucket = bucketOf(name);
    Path dir = mounts.get(bucket);
    if (dir == null) {
      throw new TrainingException(
          name
              + ": bucket "
              + bucket
              + " is not mounted; pass the directory Cloud Run mounts it at"
              + " (--data-mount, --candidates-mount; cloudrun/retrain-job.sh does)");
    }
    String object = name.substring(SCHEME.length() + bucket.length());
    object = object.startsWith("/") ? object.substring(1) : object;
    return object.isEmpty() ? dir : dir.resolve(object);
  }

  private static String bucketOf(String uri) {
    String rest = uri.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }
}
