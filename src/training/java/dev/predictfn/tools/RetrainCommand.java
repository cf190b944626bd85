package dev.predictfn.tools;

import dev.predictfn.bundle.ModelBundleWriter;
import dev.predictfn.bundle.ModelCard;
import dev.predictfn.bundle.ModelCardJson;
import dev.predictfn.bundle.Sha256;
import dev.predictfn.drift.DriftReport;
import dev.predictfn.retrain.BucketMounts;
import dev.predictfn.retrain.CandidateRun;
import dev.predictfn.retrain.LabelledData;
import dev.predictfn.retrain.RunManifest;
import dev.predictfn.training.ModelTrainer;
import dev.predictfn.training.TrainingException;
import dev.predictfn.training.TrainingSpec;
import dev.predictfn.training.TrainingSpecs;
import io.micronaut.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One retraining run, as the training job image runs it (docs/model.md, "Retraining"): trains on
 * labelled data named by URI, gates the result against the released card, checks the data for drift
 * against the serving card, and writes the run's directory in the candidates bucket. The bundle is
 * written only when every gate passes; the reports always are, and the tools' exit codes carry
 * through.
 */
@Command(
    name = "retrain",
    mixinStandardHelpOptions = true,
    description = {
      "Trains a candidate on labelled data named by URI, gates it and checks the data for drift,"
          + " and writes CANDIDATES/RUN_ID/: run.json (written last), data.sha256,"
          + " model-card.json, gate.md, drift.txt and, only when every gate passed, bundle/ and"
          + " comparison/.",
      "gs:// names are read and written where Cloud Run mounts their buckets (--data-mount,"
          + " --candidates-mount)."
    },
    exitCodeListHeading = "%nExit codes (those of train, gate and drift, carried through):%n",
    exitCodeList = {
      "0:candidate written; no drift",
      "1:error: bad arguments, spec, data or files (run.json's message names them); no bundle",
      "2:candidate written; the data drifted from the serving card (drift.txt)",
      "3:a training gate or the reference gate failed (model-card.json, gate.md); no bundle"
    })
final class RetrainCommand implements Callable<Integer> {
  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final DateTimeFormatter RUN_TIME =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'");

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  @Option(
      names = "--spec",
      required = true,
      paramLabel = "FILE",
      description = "The training spec; its data path is replaced by --data.")
  private Path spec;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "URI",
      description = {
        "The labelled CSV: gs://BUCKET/OBJECT, or a BigQuery export's shards"
            + " (gs://BUCKET/PATH/part-*.csv: one * in the last segment), or a local path.",
        "Columns: the spec's features and its label column."
      })
  private String data;

  @Option(
      names = "--candidates",
      required = true,
      paramLabel = "URI",
      description = "Where runs go: gs://BUCKET[/PREFIX] or a local directory.")
  private String candidates;

  @Option(
      names = "--data-mount",
      paramLabel = "DIR",
      description = "Where the data's bucket is mounted (Cloud Run's Cloud Storage volume).")
  private Path dataMount;

  @Option(
      names = "--candidates-mount",
      paramLabel = "DIR",
      description =
          "Where the candidates bucket is mounted (the same as --data-mount for one bucket).")
  private Path candidatesMount;

  @Option(
      names = "--run-id",
      paramLabel = "ID",
      description =
          "The run's directory name; default: $CLOUD_RUN_EXECUTION, else the UTC start time.")
  private String runId;

  @Option(
      names = "--serving-card",
      paramLabel = "FILE",
      description = "The serving model's card, the drift baseline; default: the spec's reference.")
  private Path servingCard;

  @Option(
      names = "--model-version",
      paramLabel = "VERSION",
      description = "The candidate's version; default: candidate-RUN_ID (a release gives its own).")
  private String modelVersion;

  @Option(
      names = "--trained-at",
      paramLabel = "TIME",
      converter = TrainCommand.TrainedAtConverter.class,
      description = "When the model counts as trained; default: now.")
  private OffsetDateTime trainedAt;

  @Option(
      names = "--psi-threshold",
      paramLabel = "PSI",
      defaultValue = "0.2",
      description = "Drift: as tools drift (default: ${DEFAULT-VALUE}).")
  private double psiThreshold;

  @Option(
      names = "--max-out-of-range",
      paramLabel = "SHARE",
      defaultValue = "0.05",
      description = "Drift: as tools drift (default: ${DEFAULT-VALUE}).")
  private double maxOutOfRange;

  RetrainCommand(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  @Override
  public Integer call() throws IOException {
    OffsetDateTime started = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    String id = runId != null ? runId : env.getOrDefault("CLOUD_RUN_EXECUTION", "");
    if (id.isEmpty()) {
      id = RUN_TIME.format(started);
    }
    if (!RUN_ID.matcher(id).matches()) {
      throw new TrainingException(
          "--run-id '" + id + "': use letters, digits, '.', '_' and '-' (at most 100)");
    }
    Map<String, Path> mounted = new java.util.LinkedHashMap<>();
    mounted.put(data, dataMount);
    mounted.put(candidates, candidatesMount);
    BucketMounts buckets = BucketMounts.of(mounted);
    String base = candidates.endsWith("/") ? candidates : candidates + "/";
    String runUri = base + id + "/";
    JsonMapper mapper = JsonMapper.createDefault();
    ModelCardJson cards = new ModelCardJson();
    byte[] specBytes = Files.readAllBytes(spec);
    TrainingSpec trainingSpec = TrainingSpecs.read(mapper, spec);
    String version = modelVersion != null ? modelVersion : "candidate-" + id;
    Run run = new Run(id, runUri, trainingSpec.modelName(), version, spec, specBytes);
    out.printf("retraining %s: %s -> %s%n", trainingSpec.modelName(), data, runUri);
    try (CandidateRun staged = CandidateRun.open(buckets.local(runUri), runUri)) {
      try {
        work(run, staged, buckets, cards, trainingSpec, started);
      } catch (IOException | RuntimeException e) {
        // Whatever failed, the run ends with its reports and a run.json that says why, and
        // without a bundle, even one staged before the failure.
        run.fail(Tools.describe(e));
        staged.discard("bundle");
        staged.discard("comparison");
      }
      RunManifest manifest = run.manifest(env, started);
      staged.publish(json(mapper, manifest));
      (manifest.exitCode() == 0 ? out : err)
          .printf(
              "%s: %s, exit %d%s%n",
              runUri,
              manifest.outcome(),
              manifest.exitCode(),
              manifest.modelSha256() == null || manifest.bundle() == null
                  ? ""
                  : "; candidate sha256 " + manifest.modelSha256());
      return manifest.exitCode();
    }
  }

  private void work(
      Run run,
      CandidateRun staged,
      BucketMounts buckets,
      ModelCardJson cards,
      TrainingSpec trainingSpec,
      OffsetDateTime started)
      throws IOException {
    LabelledData labelled = LabelledData.read(data, buckets);
    run.data = labelled;
    staged.write("data.sha256", labelled.sha256Lines().getBytes(StandardCharsets.UTF_8));

    Path baseline = servingCard != null ? servingCard : referenceCard(trainingSpec);
    if (baseline != null) {
      ModelCard serving = cards.read(Files.readAllBytes(baseline));
      DriftReport drift =
          DriftCommand.compare(serving, data, labelled.csv(), psiThreshold, maxOutOfRange);
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      DriftCommand.print(new PrintStream(text, true, StandardCharsets.UTF_8), data, serving, drift);
      staged.write("drift.txt", text.toByteArray());
      out.print(text.toString(StandardCharsets.UTF_8));
      run.drift = drift.drifted() ? DriftCommand.EXIT_DRIFT : Tools.EXIT_OK;
    }

    ModelTrainer.TrainedModel trained =
        new ModelTrainer()
            .train(
                trainingSpec,
                data,
                labelled.csv(),
                run.version,
                trainedAt != null ? trainedAt : started,
                out);
    ModelCard card =
        trained
            .card()
            .withIdentity(
                run.version,
                new ModelCard.Lineage(
                    run.specName,
                    run.specSha256,
                    env.get("CLOUD_RUN_JOB"),
                    env.get("CLOUD_RUN_EXECUTION"),
                    run.uri));
    run.modelSha256 = card.modelSha256();
    staged.write("model-card.json", cards.write(card));
    if (!trained.passedGates()) {
      TrainCommand.reportFailedGates(card, spec, err);
      run.train = TrainCommand.EXIT_GATE_FAILED;
      return;
    }
    run.train = Tools.EXIT_OK;

    Path reference = referenceCard(trainingSpec);
    if (reference != null) {
      GateCommand.Comparison gate =
          GateCommand.compare(trainingSpec, card, cards.read(Files.readAllBytes(reference)));
      staged.write("gate.md", gate.table().getBytes(StandardCharsets.UTF_8));
      out.print(gate.table());
      run.gate = gate.regressed() ? GateCommand.EXIT_REGRESSED : Tools.EXIT_OK;
      if (gate.regressed()) {
        return;
      }
    }
    new ModelBundleWriter(cards).write(staged.path("bundle"), card, trained.modelBytes());
    TrainCommand.writeComparisonSets(
        spec,
        trainingSpec,
        trained,
        staged.path("comparison"),
        new PrintStream(OutputStream.nullOutputStream()));
    run.bundle = "bundle/";
  }

  private static byte[] json(JsonMapper mapper, RunManifest manifest) throws IOException {
    byte[] compact = mapper.writeValueAsBytes(manifest);
    byte[] line = java.util.Arrays.copyOf(compact, compact.length + 1);
    line[compact.length] = '\n';
    return line;
  }

  private Path referenceCard(TrainingSpec trainingSpec) {
    return trainingSpec.reference() == null
        ? null
        : TrainingSpecs.resolve(spec, trainingSpec.reference().card());
  }

  /** What a run found so far; its manifest is written whether it ends well or not. */
  private static final class Run {
    final String id;
    final String uri;
    final String modelName;
    final String version;
    final String specName;
    final String specSha256;
    LabelledData data;
    String modelSha256;
    String bundle;
    Integer train;
    Integer gate;
    Integer drift;
    String message;

    Run(String id, String uri, String modelName, String version, Path spec, byte[] bytes) {
      this.id = id;
      this.uri = uri;
      this.modelName = modelName;
      this.version = version;
      this.specName = spec.getFileName().toString();
      this.specSha256 = Sha256.hex(bytes);
    }

    void fail(String why) {
      message = why;
      bundle = null;
    }

    RunManifest manifest(Map<String, String> env, OffsetDateTime started) {
      int exit;
      String outcome;
      if (message != null) {
        exit = Tools.EXIT_ERROR;
        outcome = RunManifest.ERROR;
      } else if (bundle == null) {
        exit = TrainCommand.EXIT_GATE_FAILED;
        outcome = RunManifest.GATE_FAILED;
        message =
            train != null && train != 0
                ? "a training gate failed (model-card.json, evaluation.quality_gates)"
                : "the reference gate failed (gate.md)";
      } else {
        exit = drift != null ? drift : Tools.EXIT_OK;
        outcome = RunManifest.CANDIDATE;
      }
      return new RunManifest(
          id,
          outcome,
          exit,
          message,
          uri,
          specName,
          specSha256,
          data == null ? null : new RunManifest.Data(data.uri(), data.sha256(), data.shards()),
          modelName,
          version,
          modelSha256,
          bundle,
          new RunManifest.Tools(train, gate, drift),
          env.get("CLOUD_RUN_JOB"),
          env.get("CLOUD_RUN_EXECUTION"),
          started.toString(),
          OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString());
    }
  }
}
