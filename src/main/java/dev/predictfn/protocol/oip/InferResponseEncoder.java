package dev.predictfn.protocol.oip;

import dev.predictfn.bundle.ModelCard;
import dev.predictfn.model.PredictionResult;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code infer} answer: JSON, or, when an output was asked for as binary data, the JSON
 * followed by those outputs' bytes (the binary tensor data extension: {@code
 * Inference-Header-Content-Length} gives the JSON's length, each binary output's {@code
 * binary_data_size} its bytes, in output order; {@code label} as BYTES, each element a 4-byte
 * little-endian length and the UTF-8 bytes; {@code probabilities} as little-endian FP32).
 */
@Singleton
final class InferResponseEncoder {
  /** The extension's header naming the length of the JSON part of a body. */
  static final String JSON_LENGTH_HEADER = "Inference-Header-Content-Length";

  /** The response parameter that carries each row's prediction id, in row order. */
  static final String PREDICTION_IDS = "prediction_ids";

  private final JsonMapper mapper;

  InferResponseEncoder(JsonMapper mapper) {
    this.mapper = mapper;
  }

  HttpResponse<?> encode(ModelCard card, InferRequest request, List<PredictionResult> results) {
    List<OipMessages.OutputTensor> outputs = new ArrayList<>();
    ByteArrayOutputStream binary = new ByteArrayOutputStream();
    for (InferRequest.Output output : request.outputs()) {
      boolean label = output.name().equals(InferRequest.LABEL);
      OipMessages.OutputTensor tensor =
          label ? labels(results) : probabilities(results, card.labels());
      if (!output.binary()) {
        outputs.add(tensor);
        continue;
      }
      byte[] bytes = label ? labelBytes(results) : probabilityBytes(results, card.labels());
      binary.writeBytes(bytes);
      Map<String, Object> parameters = new LinkedHashMap<>();
      if (tensor.parameters() != null) {
        parameters.putAll(tensor.parameters());
      }
      parameters.put("binary_data_size", (long) bytes.length);
      outputs.add(
          new OipMessages.OutputTensor(
              tensor.name(), tensor.datatype(), tensor.shape(), null, parameters));
    }
    OipMessages.InferResponse response =
        new OipMessages.InferResponse(
            card.modelName(),
            card.modelVersion(),
            request.id(),
            Map.of(PREDICTION_IDS, predictionIds(results)),
            outputs);
    if (binary.size() == 0) {
      return HttpResponse.ok(response).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
    byte[] json;
    try {
      json = mapper.writeValueAsBytes(response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream(json.length + binary.size());
    body.writeBytes(json);
    body.writeBytes(binary.toByteArray());
    return HttpResponse.ok(body.toByteArray())
        .contentType(MediaType.APPLICATION_OCTET_STREAM_TYPE)
        .header(JSON_LENGTH_HEADER, Integer.toString(json.length));
  }

  private static List<String> predictionIds(List<PredictionResult> results) {
    List<String> ids = new ArrayList<>(results.size());
    for (PredictionResult result : results) {
      ids.add(result.id());
    }
    return ids;
  }

  private static OipMessages.OutputTensor labels(List<PredictionResult> results) {
    List<String> data = new ArrayList<>(results.size());
    for (PredictionResult result : results) {
      data.add(result.label());
    }
    return new OipMessages.OutputTensor(
        InferRequest.LABEL, "BYTES", List.of((long) results.size()), data, null);
  }

  private static OipMessages.OutputTensor probabilities(
      List<PredictionResult> results, List<String> labels) {
    List<Float> data = new ArrayList<>(results.size() * labels.size());
    for (PredictionResult result : results) {
      for (String label : labels) {
        data.add(result.probabilities().get(label).floatValue());
      }
    }
    return new OipMessages.OutputTensor(
        InferRequest.PROBABILITIES,
        "FP32",
        List.of((long) results.size(), (long) labels.size()),
        data,
        Map.of("labels", String.join(",", labels)));
  }

  private static byte[] labelBytes(List<PredictionResult> results) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (PredictionResult result : results) {
      byte[] utf8 = result.label().getBytes(StandardCharsets.UTF_8);
      out.writeBytes(
          ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(utf8.length).array());
      out.writeBytes(utf8);
    }
    return out.toByteArray();
  }

  private static byte[] probabilityBytes(List<PredictionResult> results, List<String> labels) {
    ByteBuffer out =
        ByteBuffer.allocate(results.size() * labels.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (PredictionResult result : results) {
      for (String label : labels) {
        out.putFloat(result.probabilities().get(label).floatValue());
      }
    }
    return out.array();
  }
}
