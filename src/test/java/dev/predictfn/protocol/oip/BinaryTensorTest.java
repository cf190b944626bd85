package dev.predictfn.protocol.oip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.support.Json;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Open Inference Protocol's binary tensor data extension and integer datatypes, with request
 * bodies built byte for byte as Triton's and KServe's HTTP clients build them: the JSON, then each
 * binary input's little-endian bytes in input order, the JSON's length in {@code
 * Inference-Header-Content-Length}.
 */
@MicronautTest
class BinaryTensorTest {
  private static final String INFER = "/v2/models/iris-sgd/infer";
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final float[] TWO_ROWS = {5.1f, 3.5f, 1.4f, 0.2f, 6.7f, 3.0f, 5.2f, 2.3f};

  @Inject EmbeddedServer server;

  private record Answer(int status, String contentType, String jsonLength, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private Answer post(byte[] body, String contentType, Integer jsonLength) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.getURL() + INFER))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .header("Content-Type", contentType);
    if (jsonLength != null) {
      request.header("Inference-Header-Content-Length", Integer.toString(jsonLength));
    }
    HttpResponse<byte[]> response =
        CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Answer(
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(""),
        response.headers().firstValue("Inference-Header-Content-Length").orElse(null),
        response.body());
  }

  private static byte[] fp32(float... values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      buffer.putFloat(value);
    }
    return buffer.array();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** The JSON part as Triton's client writes it: compact, outputs asked for as binary data. */
  private static String tritonHeader(int bytes, boolean binaryOutputs) {
    return "{\"inputs\":[{\"name\":\"input\",\"shape\":[2,4],\"datatype\":\"FP32\","
        + "\"parameters\":{\"binary_data_size\":"
        + bytes
        + "}}],\"outputs\":[{\"name\":\"label\",\"parameters\":{\"binary_data\":"
        + binaryOutputs
        + "}},{\"name\":\"probabilities\",\"parameters\":{\"binary_data\":"
        + binaryOutputs
        + "}}]}";
  }

  @Test
  void binaryInputsWithJsonOutputs() throws Exception {
    byte[] header = tritonHeader(32, false).getBytes(StandardCharsets.UTF_8);
    Answer answer = post(concat(header, fp32(TWO_ROWS)), "application/octet-stream", header.length);

    assertEquals(200, answer.status(), answer.text());
    JsonNode outputs = Json.parse(answer.text()).get("outputs");
    assertEquals("setosa", outputs.get(0).get("data").get(0).getStringValue());
    assertEquals("virginica", outputs.get(0).get("data").get(1).getStringValue());
  }

  @Test
  void binaryInputsAndOutputsAsTritonsClientSendsAndReadsThem() throws Exception {
    byte[] header = tritonHeader(32, true).getBytes(StandardCharsets.UTF_8);
    Answer answer = post(concat(header, fp32(TWO_ROWS)), "application/octet-stream", header.length);

    assertEquals(200, answer.status(), answer.text());
    assertEquals("application/octet-stream", answer.contentType());
    int jsonLength = Integer.parseInt(answer.jsonLength());
    JsonNode json = Json.parse(new String(answer.body(), 0, jsonLength, StandardCharsets.UTF_8));
    JsonNode label = json.get("outputs").get(0);
    JsonNode probabilities = json.get("outputs").get(1);
    assertEquals(null, label.get("data"));
    long labelBytes = label.get("parameters").get("binary_data_size").getLongValue();
    long probabilityBytes = probabilities.get("parameters").get("binary_data_size").getLongValue();
    assertEquals(answer.body().length, jsonLength + labelBytes + probabilityBytes);

    ByteBuffer binary =
        ByteBuffer.wrap(answer.body(), jsonLength, answer.body().length - jsonLength)
            .order(ByteOrder.LITTLE_ENDIAN);
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      byte[] utf8 = new byte[binary.getInt()];
      binary.get(utf8);
      labels.add(new String(utf8, StandardCharsets.UTF_8));
    }
    assertEquals(List.of("setosa", "virginica"), labels);
    float[] row0 = new float[3];
    for (int i = 0; i < 3; i++) {
      row0[i] = binary.getFloat();
    }
    assertTrue(row0[0] > 0.99f, "setosa's probability " + row0[0]);
    assertEquals(1.0f, row0[0] + row0[1] + row0[2], 1e-5f);
    assertEquals(
        "setosa,versicolor,virginica",
        probabilities.get("parameters").get("labels").getStringValue());
  }

  @Test
  void kserveClientsBinaryDataOutputParameterAsksForEveryOutputAsBinary() throws Exception {
    byte[] header =
        ("{\"id\":\"7\",\"parameters\":{\"binary_data_output\":true},\"inputs\":[{\"name\":"
                + "\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"parameters\":"
                + "{\"binary_data_size\":16}}]}")
            .getBytes(StandardCharsets.UTF_8);
    Answer answer =
        post(concat(header, fp32(5.1f, 3.5f, 1.4f, 0.2f)), "application/json", header.length);

    assertEquals(200, answer.status(), answer.text());
    JsonNode json =
        Json.parse(
            new String(
                answer.body(), 0, Integer.parseInt(answer.jsonLength()), StandardCharsets.UTF_8));
    assertEquals("7", json.get("id").getStringValue());
    assertEquals(
        4 + "setosa".length(),
        json.get("outputs").get(0).get("parameters").get("binary_data_size").getLongValue());
    assertEquals(
        12, json.get("outputs").get(1).get("parameters").get("binary_data_size").getLongValue());
  }

  @Test
  void integerTypesAsBinaryDataAndAsJson() throws Exception {
    ByteBuffer int32 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : new int[] {5, 3, 1, 0}) {
      int32.putInt(v);
    }
    byte[] uint8 = {6, 3, 5, 2};
    byte[] header =
        ("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"INT32\",\"parameters\":"
                + "{\"binary_data_size\":16}}]}")
            .getBytes(StandardCharsets.UTF_8);
    Answer binary = post(concat(header, int32.array()), "application/octet-stream", header.length);
    assertEquals(200, binary.status(), binary.text());
    assertTrue(binary.text().contains("\"setosa\""), binary.text());

    byte[] header8 =
        ("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"UINT8\",\"parameters\":"
                + "{\"binary_data_size\":4}}]}")
            .getBytes(StandardCharsets.UTF_8);
    Answer unsigned = post(concat(header8, uint8), "application/octet-stream", header8.length);
    assertEquals(200, unsigned.status(), unsigned.text());
    assertTrue(unsigned.text().contains("\"virginica\""), unsigned.text());

    for (String type : List.of("INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32")) {
      Answer json =
          post(
              ("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\""
                      + type
                      + "\",\"data\":[5,3,1,0]}]}")
                  .getBytes(StandardCharsets.UTF_8),
              "application/json",
              null);
      assertEquals(200, json.status(), type + ": " + json.text());
    }
  }

  @Test
  void integerElementsOutsideTheirTypeAre400s() throws Exception {
    Answer tooBig =
        post(
            "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"INT8\",\"data\":[5,3,1,200]}]}"
                .getBytes(StandardCharsets.UTF_8),
            "application/json",
            null);
    assertEquals(400, tooBig.status());
    assertEquals(
        "{\"error\":\"input \\\"input\\\" element 3 must be an integer from -128 to 127, but it is"
            + " 200.0\"}",
        tooBig.text());
    Answer fraction =
        post(
            "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"UINT16\",\"data\":[5,3.5,1,0]}]}"
                .getBytes(StandardCharsets.UTF_8),
            "application/json",
            null);
    assertEquals(400, fraction.status());
    assertTrue(fraction.text().contains("element 1 must be an integer from 0 to 65535"));
  }

  @Test
  void binaryDataThatDoesNotAddUpIsA400InTheProtocolsShape() throws Exception {
    byte[] header = tritonHeader(32, false).getBytes(StandardCharsets.UTF_8);

    Answer noHeader = post(concat(header, fp32(TWO_ROWS)), "application/octet-stream", null);
    assertEquals(400, noHeader.status());
    assertTrue(noHeader.text().startsWith("{\"error\":"), noHeader.text());

    Answer shortData =
        post(concat(header, fp32(5.1f, 3.5f)), "application/octet-stream", header.length);
    assertEquals(400, shortData.status());
    assertTrue(shortData.text().contains("only 8 bytes of binary data are left"), shortData.text());

    Answer extra =
        post(concat(header, fp32(TWO_ROWS), fp32(1f)), "application/octet-stream", header.length);
    assertEquals(400, extra.status());
    assertTrue(extra.text().contains("4 bytes of binary data follow"), extra.text());

    byte[] wrongSize = tritonHeader(28, false).getBytes(StandardCharsets.UTF_8);
    Answer mismatch =
        post(
            concat(wrongSize, Arrays.copyOf(fp32(TWO_ROWS), 28)),
            "application/octet-stream",
            wrongSize.length);
    assertEquals(400, mismatch.status());
    assertTrue(mismatch.text().contains("but its binary_data_size is 28"), mismatch.text());
  }

  @Test
  void everyErrorUnderV2IsTheProtocolsShapeA415Included() throws Exception {
    Answer answer = post("5.1,3.5".getBytes(StandardCharsets.UTF_8), "text/csv", null);

    assertEquals(415, answer.status());
    assertEquals("application/json", answer.contentType());
    JsonNode error = Json.parse(answer.text());
    assertEquals(1, error.size(), answer.text());
    assertTrue(error.get("error").getStringValue().contains("Content-Type text/csv"));
  }

  @Test
  void theServerAnnouncesTheExtension() throws Exception {
    HttpResponse<String> metadata =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(server.getURL() + "/v2")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertTrue(
        metadata.body().contains("\"extensions\":[\"binary_tensor_data\"]"), metadata.body());
  }
}
