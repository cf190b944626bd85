package dev.predictfn.http;

import dev.predictfn.model.ServingModel;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/** Adds {@code X-Model-Version} to every response, errors and probes included. */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class ModelVersionHeaderFilter {
  /** The header name. */
  public static final String HEADER = "X-Model-Version";

  private final ServingModel servingModel;

  public ModelVersionHeaderFilter(ServingModel servingModel) {
    this.servingModel = servingModel;
  }

  @ResponseFilter
  public void addVersion(MutableHttpResponse<?> response) {
    response.header(HEADER, servingModel.version());
  }
}
