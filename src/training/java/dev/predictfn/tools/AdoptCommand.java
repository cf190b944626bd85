package dev.predictfn.tools;

import dev.predictfn.bundle.BundleLocation;
import dev.predictfn.bundle.InvalidBundleException;
import dev.predictfn.bundle.ModelBundle;
import dev.predictfn.bundle.ModelBundleReader;
import dev.predictfn.bundle.ModelBundleWriter;
import dev.predictfn.bundle.ModelCard;
import dev.predictfn.bundle.ModelCardJson;
import dev.predictfn.bundle.Sha256;
import dev.predictfn.retrain.CandidateRun;
import dev.predictfn.retrain.RunManifest;
import dev.predictfn.training.TrainingException;
import dev.predictfn.training.TrainingSpec;
import dev.predictfn.training.TrainingSpecs;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Takes a retraining run's candidate into a release build in place of the model the build would
 * train: the build runs it instead of {@code train} when {@code -Dmodel.candidate=DIR} is set
 * (cloudrun/push-image.sh --candidate). Nothing unverified passes: the run must have ended with a
 * candidate, its model must have the SHA-256 the release was given and load as the service loads
 * it, and it must have been trained from this commit's spec. The card keeps its lineage and takes
 * the release's version; the model file is copied unchanged.
 */
@Command(
    name = "adopt",
    mixinStandardHelpOptions = true,
    description = {
      "Verifies a retraining run's candidate (a copy of its directory) and writes its bundle,"
          + " with the release's version, and its comparison sets for the release's gates."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:adopted",
      "1:the candidate is not the one named, or not sound (the message)"
    })
final class AdoptCommand implements Callable<Integer> {
  private final PrintStream out;

  @Option(
      names = "--candidate",
      required = true,
      paramLabel = "DIR",
      description = "A local copy of the run's directory (gcloud storage cp --recursive).")
  private Path candidate;

  @Option(
      names = "--sha256",
      required = true,
      paramLabel = "HEX",
      description = "The candidate model's SHA-256, as its run printed it (run.json model_sha256).")
  private String sha256;

  @Option(
      names = "--uri",
      required = true,
      paramLabel = "URI",
      description = "The run directory's URI, as the card's lineage must name it.")
  private String uri;

  @Option(
      names = "--spec",
      required = true,
      paramLabel = "FILE",
      description = "This commit's training spec; the candidate must have been trained with it.")
  private Path spec;

  @Option(
      names = "--model-version",
      required = true,
      paramLabel = "VERSION",
      description = "The release's version, written into the adopted card.")
  private String modelVersion;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description = "The bundle directory to write (replaced as a whole).")
  private Path output;

  @Option(
      names = "--comparison-dir",
      paramLabel = "DIR",
      description = "Where to copy the run's comparison sets (candidate.csv, released.csv).")
  private Path comparisonDir;

  AdoptCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws IOException {
    JsonMapper mapper = JsonMapper.createDefault();
    ModelCardJson cards = new ModelCardJson();
    RunManifest run = manifest(mapper);
    String named = sha256.toLowerCase(Locale.ROOT);
    require(
        RunManifest.CANDIDATE.equals(run.outcome()) && run.bundle() != null,
        "the run ended with " + run.outcome() + " (" + run.message() + "): it has no candidate");
    require(
        named.equals(run.modelSha256()),
        "the run's model has sha256 " + run.modelSha256() + ", not the " + named + " named");
    ModelBundle bundle;
    Path bundleDir = candidate.resolve(run.bundle());
    try {
      bundle = new ModelBundleReader(cards).read(BundleLocation.directory(bundleDir), List.of());
    } catch (InvalidBundleException e) {
      throw new TrainingException("the candidate's bundle does not load: " + e.getMessage());
    }
    ModelCard card = bundle.card();
    require(
        named.equals(card.modelSha256()),
        "the bundle's card names sha256 " + card.modelSha256() + ", not the " + named + " named");
    ModelCard.Lineage lineage = card.lineage();
    require(lineage != null, "the candidate's card has no lineage: it was not made by retrain");
    String runUri = uri.endsWith("/") ? uri : uri + "/";
    require(
        runUri.equals(lineage.candidate()) && runUri.equals(run.candidate()),
        "the candidate was written to " + lineage.candidate() + ", not " + runUri);
    String specSha = Sha256.hex(Files.readAllBytes(spec));
    require(
        specSha.equals(lineage.specSha256()),
        "the candidate was trained with another "
            + lineage.spec()
            + " (sha256 "
            + lineage.specSha256()
            + ") than this commit's "
            + spec
            + " ("
            + specSha
            + "): release it from the commit its job image was built from");
    TrainingSpec trainingSpec = TrainingSpecs.read(mapper, spec);
    require(
        Objects.equals(trainingSpec.modelName(), card.modelName()),
        "the candidate is " + card.modelName() + ", the spec trains " + trainingSpec.modelName());
    require(
        run.data() != null && run.data().sha256().equals(card.trainingData().sha256()),
        "the card's training data does not match the run's data.sha256");
    require(card.evaluation().passedGates(), "the candidate's card records a failed training gate");

    new ModelBundleWriter(cards)
        .write(
            output,
            card.withIdentity(modelVersion, lineage),
            Files.readAllBytes(bundleDir.resolve(card.modelFile())));
    if (comparisonDir != null) {
      Files.createDirectories(comparisonDir);
      for (String set : List.of("candidate.csv", "released.csv")) {
        Path from = candidate.resolve("comparison").resolve(set);
        if (Files.isRegularFile(from)) {
          Files.copy(from, comparisonDir.resolve(set), StandardCopyOption.REPLACE_EXISTING);
        } else {
          Files.deleteIfExists(comparisonDir.resolve(set));
        }
      }
    }
    out.printf(
        "adopted %s %s as version %s (trained on %s, sha256 %s) into %s%n",
        card.modelName(),
        named,
        modelVersion,
        card.trainingData().path(),
        card.trainingData().sha256(),
        output);
    return Tools.EXIT_OK;
  }

  private RunManifest manifest(JsonMapper mapper) throws IOException {
    Path file = candidate.resolve(CandidateRun.MANIFEST);
    try {
      return mapper.readValue(Files.readAllBytes(file), RunManifest.class);
    } catch (NoSuchFileException e) {
      throw new TrainingException(
          file + " is missing: not a finished retraining run (copy the whole run directory)");
    }
  }

  private static void require(boolean condition, String problem) {
    if (!condition) {
      throw new TrainingException("candidate refused: " + problem);
    }
  }
}
