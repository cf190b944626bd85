package dev.predictfn.protocol.predict;

import dev.predictfn.bundle.FeatureSchema;
import dev.predictfn.bundle.ModelCard;
import dev.predictfn.scoring.Scorer;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.SerdeImport;

/**
 * {@code GET /model}: the card of the model that is serving, as the bundle's file holds it. Serde
 * encodes the card's records from their Jackson annotations, the names the file has ({@code
 * bundle.ModelCardJson}); the introspections it needs are generated here.
 */
@Controller
@SerdeImport(ModelCard.class)
@SerdeImport(ModelCard.TrainingData.class)
@SerdeImport(ModelCard.Trainer.class)
@SerdeImport(ModelCard.Evaluation.class)
@SerdeImport(ModelCard.ClassMetrics.class)
@SerdeImport(ModelCard.ConfusionMatrix.class)
@SerdeImport(ModelCard.QualityGate.class)
@SerdeImport(ModelCard.Lineage.class)
@SerdeImport(FeatureSchema.class)
@SerdeImport(FeatureSchema.NumericStats.class)
@SerdeImport(FeatureSchema.CategoricalStats.class)
public final class ModelController {
  private final Scorer scorer;

  public ModelController(Scorer scorer) {
    this.scorer = scorer;
  }

  /** The model card, or 503 while no verified model is loaded. */
  @Get(uri = "/model", produces = MediaType.APPLICATION_JSON)
  public ModelCard card() {
    return scorer.predictor().card();
  }
}
