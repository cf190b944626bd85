package dev.predictfn.protocol.predict;

import dev.predictfn.bundle.ModelCard;
import dev.predictfn.scoring.Scorer;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** {@code GET /model}: the card of the model that is serving. */
@Controller
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
