package dev.predictfn.api;

import dev.predictfn.model.ModelCard;
import dev.predictfn.model.ServingModel;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** {@code GET /model}: the card of the model that is serving. */
@Controller
public final class ModelController {
  private final ServingModel servingModel;

  public ModelController(ServingModel servingModel) {
    this.servingModel = servingModel;
  }

  /** The model card, or 503 while no verified model is loaded. */
  @Get(uri = "/model", produces = MediaType.APPLICATION_JSON)
  public ModelCard card() {
    return servingModel.predictor().card();
  }
}
