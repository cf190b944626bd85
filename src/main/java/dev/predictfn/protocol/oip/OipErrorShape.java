package dev.predictfn.protocol.oip;

import dev.predictfn.http.ErrorShape;
import dev.predictfn.rows.FieldError;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Errors under {@code /v2} as the Open Inference Protocol specifies them: the status and {@code
 * {"error": message}}, whichever layer refused the request.
 */
@Singleton
final class OipErrorShape implements ErrorShape {
  @Override
  public String pathPrefix() {
    return OipController.PATH;
  }

  @Override
  public OipMessages.Error body(
      HttpStatus status, String detail, List<FieldError> errors, String path) {
    return new OipMessages.Error(detail);
  }

  @Override
  public String acceptedContent() {
    return "send application/json, or application/octet-stream with binary tensors.";
  }

  @Override
  public String modelUnavailable(String detail) {
    return "no verified model is loaded; see /v2/health/ready";
  }
}
