package dev.predictfn.training;

import java.time.OffsetDateTime;
import java.util.Map;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.LinearParameters;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.math.optimisers.Adam;
import org.tribuo.provenance.ModelProvenance;

/**
 * Tribuo's {@link LinearSGDTrainer} (multinomial logistic loss, AdaGrad or Adam) whose models carry
 * a fixed training time and no build-machine facts (JVM version, OS, architecture) in their
 * provenance, so one commit always produces the same model bytes.
 */
final class ReproducibleSgdTrainer extends LinearSGDTrainer {
  private final OffsetDateTime trainedAt;

  /**
   * @param loggingInterval steps between the loss lines {@link TrainingProgress} reads
   */
  ReproducibleSgdTrainer(
      TrainingSpec.SgdSettings settings, long seed, int loggingInterval, OffsetDateTime trainedAt) {
    super(
        new LogMulticlass(),
        optimiser(settings),
        settings.epochs(),
        loggingInterval,
        settings.minibatchSize(),
        seed);
    this.trainedAt = trainedAt;
  }

  private static StochasticGradientOptimiser optimiser(TrainingSpec.SgdSettings settings) {
    return switch (settings.optimiserName()) {
      case "adam" -> new Adam(settings.learningRate(), 0.9, 0.999, settings.epsilon());
      default -> new AdaGrad(settings.learningRate(), settings.epsilon());
    };
  }

  @Override
  protected LinearSGDModel createModel(
      String name,
      ModelProvenance provenance,
      ImmutableFeatureMap featureIDMap,
      ImmutableOutputInfo<Label> outputIDInfo,
      LinearParameters parameters) {
    ModelProvenance pinned =
        new ModelProvenance(
            provenance.getClassName(),
            trainedAt,
            provenance.getDatasetProvenance(),
            provenance.getTrainerProvenance(),
            Map.of(),
            false);
    return super.createModel(name, pinned, featureIDMap, outputIDInfo, parameters);
  }
}
