package dev.predictfn.support;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The requests every transport must answer identically: the good shapes and each bad input the API
 * promises a 4xx problem for, with the status and a fragment of the detail.
 */
public final class ApiCases {
  private ApiCases() {}

  /**
   * One request and what it must get back.
   *
   * @param name a label for test reports
   * @param call the request
   * @param status the expected status
   * @param detail a fragment the problem's detail must contain (null for a success)
   */
  public record Case(String name, HttpCall call, int status, String detail) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A JSON body of {@code rows} identical setosa rows. */
  public static String batchOf(int rows) {
    StringBuilder json = new StringBuilder("{\"instances\":[");
    for (int i = 0; i < rows; i++) {
      json.append(i == 0 ? "" : ",").append("[5.1,3.5,1.4,0.2]");
    }
    return json.append("]}").toString();
  }

  /** Requests that succeed. */
  public static List<Case> good() {
    return List.of(
        new Case(
            "single row by position",
            HttpCall.postJson("/predict", "{\"features\":[5.1,3.5,1.4,0.2]}"),
            200,
            null),
        new Case(
            "single row by name",
            HttpCall.postJson(
                "/predict",
                "{\"features\":{\"petal_width\":2.5,\"sepal_length\":6.3,\"sepal_width\":3.3,\"petal_length\":6.0}}"),
            200,
            null),
        new Case(
            "batch of mixed row shapes",
            HttpCall.postJson(
                "/predict",
                "{\"instances\":[[6.7,3.0,5.2,2.3],{\"sepal_length\":5.9,\"sepal_width\":3.0,\"petal_length\":4.2,\"petal_width\":1.5},[5.0,3.4,1.5,0.2]]}"),
            200,
            null),
        new Case("batch at the cap", HttpCall.postJson("/predict", batchOf(1000)), 200, null),
        new Case(
            "batch with explanations",
            HttpCall.postJson(
                "/predict?explain=true", "{\"instances\":[[5.9,3.0,4.2,1.5],[5.1,3.5,1.4,0.2]]}"),
            200,
            null),
        new Case("model card", HttpCall.get("/model"), 200, null),
        new Case("liveness", HttpCall.get("/health/liveness"), 200, null),
        new Case("readiness", HttpCall.get("/health/readiness"), 200, null));
  }

  /** Open Inference Protocol requests, good and bad (errors are {"error": ...}, not problems). */
  public static List<Case> oip() {
    String infer = "/v2/models/iris-sgd/infer";
    return List.of(
        new Case("OIP server metadata", HttpCall.get("/v2"), 200, null),
        new Case("OIP live", HttpCall.get("/v2/health/live"), 200, null),
        new Case("OIP ready", HttpCall.get("/v2/health/ready"), 200, null),
        new Case("OIP model metadata", HttpCall.get("/v2/models/iris-sgd"), 200, null),
        new Case(
            "OIP model ready", HttpCall.get("/v2/models/iris-sgd/versions/0.1.0/ready"), 200, null),
        new Case(
            "OIP unknown model",
            HttpCall.get("/v2/models/resnet"),
            404,
            "unknown model \"resnet\""),
        new Case(
            "OIP unknown version",
            HttpCall.get("/v2/models/iris-sgd/versions/9.9.9"),
            404,
            "has no version \"9.9.9\"; it serves version \"0.1.0\""),
        new Case(
            "OIP infer flat matrix",
            HttpCall.postJson(infer, tensor("[2,4]", "[5.1,3.5,1.4,0.2,6.7,3.0,5.2,2.3]")),
            200,
            null),
        new Case(
            "OIP infer shape and data disagree",
            HttpCall.postJson(infer, tensor("[2,4]", "[5.1,3.5,1.4,0.2]")),
            400,
            "has shape [2, 4] (8 elements) but its data has 4 elements"),
        new Case(
            "OIP infer wrong feature count",
            HttpCall.postJson(infer, tensor("[1,3]", "[5.1,3.5,1.4]")),
            400,
            "has shape [1, 3] but the model takes 4 features per row"),
        new Case(
            "OIP infer unknown datatype",
            HttpCall.postJson(
                infer,
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FLOAT\",\"data\":[1,2,3,4]}]}"),
            400,
            "unknown datatype \"FLOAT\""),
        new Case(
            "OIP infer unknown output",
            HttpCall.postJson(
                infer,
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}],"
                    + "\"outputs\":[{\"name\":\"scores\"}]}"),
            400,
            "unknown output \"scores\""),
        new Case(
            "OIP infer values whose class scores overflow",
            HttpCall.postJson(
                infer,
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[2,4],\"datatype\":\"FP64\","
                    + "\"data\":[5.1,3.5,1.4,0.2,1e308,1e308,1e308,1e308]}]}"),
            400,
            "row 1 of the input: The values are too large for the model"),
        new Case(
            "OIP infer malformed JSON",
            HttpCall.postJson(infer, "{\"inputs\":["),
            400,
            "request body is not valid JSON"),
        new Case(
            "OIP infer with a second document after the body",
            HttpCall.postJson(
                infer, tensor("[1,4]", "[5.1,3.5,1.4,0.2]") + tensor("[1,4]", "[5.1,3.5,1.4,0.2]")),
            400,
            "more data follows it at byte 86"),
        new Case(
            "OIP infer batch over the cap",
            HttpCall.postJson(infer, tensor("[1001,4]", rowsOf(1001))),
            413,
            "The batch has 1001 rows but at most 1000 are accepted per request; split it."));
  }

  /** The data of {@code rows} identical setosa rows, flat. */
  private static String rowsOf(int rows) {
    return "[" + String.join(",", java.util.Collections.nCopies(rows, "5.1,3.5,1.4,0.2")) + "]";
  }

  /** An OIP infer body with one FP32 input. */
  public static String tensor(String shape, String data) {
    return "{\"inputs\":[{\"name\":\"input\",\"shape\":"
        + shape
        + ",\"datatype\":\"FP32\",\"data\":"
        + data
        + "}]}";
  }

  /** Requests that must answer a 4xx problem. */
  public static List<Case> bad() {
    return List.of(
        bad("malformed JSON", "{\"features\":[5.1,", 400, "not valid JSON"),
        bad(
            "stray characters after the body",
            "{\"features\":[5.1,3.5,1.4,0.2]} xyz",
            400,
            "more data follows it at byte 31 (line 1, column 32)"),
        bad(
            "two JSON documents in one body",
            "{\"features\":[5.1,3.5,1.4,0.2]}\n{\"features\":[6.7,3.0,5.2,2.3]}",
            400,
            "more data follows it at byte 31 (line 2, column 1)"),
        bad("empty body", "", 400, "request body is empty"),
        bad("whitespace body", "  \n ", 400, "request body is empty"),
        bad("JSON null body", "null", 400, "must be a JSON object"),
        bad("array body", "[5.1,3.5,1.4,0.2]", 400, "must be a JSON object"),
        bad("missing features", "{}", 400, "Missing \"features\""),
        bad(
            "unknown top-level field",
            "{\"feature\":[5.1,3.5,1.4,0.2]}",
            400,
            "Unknown field \"feature\""),
        bad(
            "features and instances",
            "{\"features\":[1,2,3,4],\"instances\":[[1,2,3,4]]}",
            400,
            "not both"),
        bad(
            "too few features",
            "{\"features\":[5.1,3.5,1.4]}",
            400,
            "has 3 values but the model takes 4"),
        bad(
            "too many features",
            "{\"features\":[5.1,3.5,1.4,0.2,9]}",
            400,
            "has 5 values but the model takes 4"),
        bad(
            "features not a row",
            "{\"features\":\"5.1,3.5\"}",
            400,
            "must be an array of 4 numbers"),
        bad(
            "unknown feature name",
            "{\"features\":{\"sepal_length\":5.1,\"sepal_width\":3.5,\"petal_length\":1.4,\"petal_widht\":0.2}}",
            400,
            "unknown feature \"petal_widht\""),
        bad(
            "missing feature name",
            "{\"features\":{\"sepal_length\":5.1,\"sepal_width\":3.5,\"petal_length\":1.4}}",
            400,
            "missing feature \"petal_width\""),
        bad(
            "string value",
            "{\"features\":[5.1,\"3.5\",1.4,0.2]}",
            400,
            "features[1] (sepal_width) must be a finite number, but it is the string \"3.5\""),
        bad(
            "boolean value",
            "{\"features\":[5.1,true,1.4,0.2]}",
            400,
            "but it is the boolean true"),
        bad(
            "null value",
            "{\"features\":[5.1,3.5,null,0.2]}",
            400,
            "features[2] (petal_length) must be a finite number, but it is null"),
        bad(
            "NaN literal",
            "{\"features\":[NaN,3.5,1.4,0.2]}",
            400,
            "NaN and Infinity are not JSON numbers"),
        bad(
            "infinite value",
            "{\"features\":[1e999,3.5,1.4,0.2]}",
            400,
            "features[0] (sepal_length) must be a finite number, but it is a number out of range"),
        bad(
            "values whose class scores overflow",
            "{\"features\":[1e308,1e308,1e308,1e308]}",
            400,
            "The values are too large for the model"),
        bad(
            "batch row whose class scores overflow",
            "{\"instances\":[[5.1,3.5,1.4,0.2],[1e308,-1e308,1e308,-1e308]]}",
            400,
            "The values are too large for the model"),
        new Case(
            "explanation of values that overflow",
            HttpCall.postJson("/predict?explain=true", "{\"features\":[1e308,-1e308,0,1e308]}"),
            400,
            "The values are too large for the model"),
        bad("empty batch", "{\"instances\":[]}", 400, "\"instances\" is empty"),
        bad(
            "batch not an array",
            "{\"instances\":{\"a\":1}}",
            400,
            "\"instances\" must be an array"),
        bad(
            "bad row in batch",
            "{\"instances\":[[5.1,3.5,1.4,0.2],[5.1,3.5]]}",
            400,
            "instances[1] has 2 values"),
        bad(
            "bad value in named batch row",
            "{\"instances\":[{\"sepal_length\":5.1,\"sepal_width\":\"x\",\"petal_length\":1.4,\"petal_width\":0.2}]}",
            400,
            "instances[0].sepal_width must be a finite number"),
        bad(
            "batch over the cap",
            batchOf(1001),
            413,
            "\"instances\" has 1001 rows but at most 1000"),
        new Case(
            "explain not a boolean",
            HttpCall.postJson("/predict?explain=yes", "{\"features\":[5.1,3.5,1.4,0.2]}"),
            400,
            "Query parameter explain must be true or false, but it is \"yes\"."),
        new Case(
            "wrong content type",
            new HttpCall(
                "POST",
                "/predict",
                "text/plain",
                "{\"features\":[5.1,3.5,1.4,0.2]}".getBytes(StandardCharsets.UTF_8),
                Map.of()),
            415,
            "Content-Type text/plain is not accepted on /predict; send application/json."),
        new Case(
            "wrong method",
            HttpCall.get("/predict"),
            405,
            "Method GET is not allowed on /predict; use POST."),
        new Case(
            "unknown path",
            HttpCall.postJson("/predictions", "{}"),
            404,
            "No endpoint at /predictions"));
  }

  private static Case bad(String name, String body, int status, String detail) {
    return new Case(name, HttpCall.postJson("/predict", body), status, detail);
  }
}
