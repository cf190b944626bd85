package dev.predictfn.retrain;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * {@code run.json}: what one retraining run did, written last into its directory in the candidates
 * bucket, so a directory with a {@code run.json} is a finished run. The release's candidate
 * workflow reads it ({@code tools adopt}) before it trusts the bundle beside it.
 *
 * @param runId the run's directory name (the Cloud Run job execution, when run as one)
 * @param outcome {@link #CANDIDATE}, {@link #GATE_FAILED} or {@link #ERROR}
 * @param exitCode the job's exit code: 0, 2 (drift; a candidate was still written), 3 or 1
 * @param message what failed, in words a person can act on; null when nothing did
 * @param candidate the URI of this run's directory
 * @param spec the training spec's file name
 * @param specSha256 SHA-256 of the spec file
 * @param data the data the run read; null when it could not be read
 * @param modelName the spec's model name
 * @param modelVersion the version written into the candidate's card
 * @param modelSha256 SHA-256 of the candidate's model file; null when no model was trained
 * @param bundle the bundle's folder in this directory; null when no bundle was written
 * @param tools each tool's exit code ({@code train}, {@code gate}, {@code drift}); null: not run
 * @param job the Cloud Run job, or null
 * @param execution the Cloud Run job execution, or null
 * @param startedAt when the run started (UTC)
 * @param finishedAt when it finished (UTC)
 */
@Serdeable
public record RunManifest(
    @JsonProperty("run_id") String runId,
    String outcome,
    @JsonProperty("exit_code") int exitCode,
    @Nullable String message,
    String candidate,
    String spec,
    @JsonProperty("spec_sha256") String specSha256,
    @Nullable Data data,
    @JsonProperty("model_name") String modelName,
    @JsonProperty("model_version") String modelVersion,
    @JsonProperty("model_sha256") @Nullable String modelSha256,
    @Nullable String bundle,
    Tools tools,
    @Nullable String job,
    @Nullable String execution,
    @JsonProperty("started_at") String startedAt,
    @JsonProperty("finished_at") String finishedAt) {

  /** A bundle was written: it passed the training gates and the reference gate. */
  public static final String CANDIDATE = "candidate";

  /** A gate failed: the reports are written, no bundle. */
  public static final String GATE_FAILED = "gate_failed";

  /** The run could not train: bad data, spec or files; the message says which. */
  public static final String ERROR = "error";

  /**
   * The data a run read.
   *
   * @param uri as the job was given it
   * @param sha256 SHA-256 of the joined CSV, as the card's training_data records it
   * @param shards each file read
   */
  @Serdeable
  public record Data(String uri, String sha256, List<LabelledData.Shard> shards) {}

  /**
   * The tools' exit codes, as each would have ended on its own ({@code tools train|gate|drift}).
   *
   * @param train 0 or 3 (a training gate failed); null when not reached
   * @param gate 0 or 3 (regressed against the released card); null when not reached
   * @param drift 0 or 2 (the data drifted from the serving card); null when not reached
   */
  @Serdeable
  public record Tools(@Nullable Integer train, @Nullable Integer gate, @Nullable Integer drift) {}
}
