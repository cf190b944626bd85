package dev.predictfn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.predictfn.support.HttpAnswer;
import dev.predictfn.support.HttpCall;
import dev.predictfn.support.Json;
import dev.predictfn.support.RunningJar;
import io.micronaut.json.tree.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The curl examples of README.md and docs/protocols.md, run against the packaged jar: each
 * documented JSON response must be contained in the real one (objects may be abridged in the
 * README, values must be equal).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadmeExamplesIT {
  private static final Pattern FENCE = Pattern.compile("```(\\w*)\\n(.*?)```", Pattern.DOTALL);

  /**
   * A curl command from the README and the response documented under it.
   *
   * @param curl the command
   * @param json the documented response
   */
  record Example(String curl, String json) {
    @Override
    public String toString() {
      return curl.length() > 100 ? curl.substring(0, 100) + "..." : curl;
    }
  }

  private RunningJar app;

  @BeforeAll
  void start() throws Exception {
    // The Vertex AI variables docs/protocols.md's Vertex examples were produced with.
    app =
        RunningJar.start(
                Map.of(
                    "AIP_HTTP_PORT", Integer.toString(RunningJar.freePort()),
                    "AIP_PREDICT_ROUTE", "/v1/endpoints/1234/deployedModels/5678:predict",
                    "AIP_HEALTH_ROUTE", "/v1/endpoints/1234/deployedModels/5678"))
            .awaitReady(Duration.ofSeconds(60));
  }

  @AfterAll
  void stop() throws Exception {
    app.close();
  }

  /** The documents whose examples are checked: the front door and the protocols' reference. */
  private static final List<Path> DOCUMENTS =
      List.of(Path.of("README.md"), Path.of("docs/protocols.md"));

  static List<Example> examples() throws Exception {
    List<Example> examples = new ArrayList<>();
    for (Path document : DOCUMENTS) {
      String text = Files.readString(document, StandardCharsets.UTF_8);
      List<String[]> blocks = new ArrayList<>();
      Matcher m = FENCE.matcher(text);
      while (m.find()) {
        blocks.add(new String[] {m.group(1), m.group(2).replace("\\\n", " ").trim()});
      }
      for (int i = 0; i + 1 < blocks.size(); i++) {
        if (blocks.get(i)[0].equals("bash")
            && blocks.get(i)[1].startsWith("curl ")
            && blocks.get(i + 1)[0].equals("json")) {
          examples.add(new Example(blocks.get(i)[1], blocks.get(i + 1)[1]));
        }
      }
    }
    return examples;
  }

  @Test
  void readmeDocumentsEveryEndpointWithAResponse() throws Exception {
    List<String> paths = examples().stream().map(e -> request(e.curl()).path()).toList();

    assertTrue(paths.contains("/predict"), paths.toString());
    assertTrue(paths.contains("/model"), paths.toString());
    assertTrue(paths.contains("/health/readiness"), paths.toString());
    assertTrue(examples().size() >= 6, "examples found: " + examples());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void documentedResponseIsWhatTheServiceAnswers(Example example) throws Exception {
    HttpAnswer answer = app.http().send(request(example.curl()));

    assertContained(Json.parse(example.json()), Json.parse(answer.body()), "$", answer.body());
  }

  /** Reads the parts of a curl command the README uses: -X, -H, -d and the URL. */
  static HttpCall request(String curl) {
    List<String> words = shellWords(curl);
    String method = null;
    String body = null;
    String url = null;
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < words.size(); i++) {
      String word = words.get(i);
      switch (word) {
        case "-s" -> {}
        case "-X" -> method = words.get(++i);
        case "-d" -> body = words.get(++i);
        case "-H" -> {
          String[] header = words.get(++i).split(":\\s*", 2);
          headers.put(header[0], header[1]);
        }
        case "|" -> i = words.size();
        default -> {
          if (word.startsWith("-")) {
            fail("curl option the README test does not understand: " + word);
          }
          url = word;
        }
      }
    }
    String path = url.substring(url.indexOf('/'));
    String contentType = headers.remove("Content-Type");
    return new HttpCall(
        method != null ? method : body != null ? "POST" : "GET",
        path,
        contentType,
        body == null ? null : body.getBytes(StandardCharsets.UTF_8),
        Map.copyOf(headers));
  }

  private static List<String> shellWords(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean inWord = false;
    for (char c : command.toCharArray()) {
      if (c == '\'') {
        quoted = !quoted;
        inWord = true;
      } else if (Character.isWhitespace(c) && !quoted) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  private static void assertContained(
      JsonNode documented, JsonNode actual, String path, String body) {
    if (documented.isObject()) {
      assertTrue(actual != null && actual.isObject(), path + " is not an object in " + body);
      for (Map.Entry<String, JsonNode> field : documented.entries()) {
        JsonNode real = actual.get(field.getKey());
        assertTrue(real != null, path + "." + field.getKey() + " is missing in " + body);
        assertContained(field.getValue(), real, path + "." + field.getKey(), body);
      }
    } else if (documented.isArray()) {
      assertTrue(actual.isArray(), path + " is not an array in " + body);
      assertEquals(documented.size(), actual.size(), path + " length in " + body);
      for (int i = 0; i < documented.size(); i++) {
        assertContained(documented.get(i), actual.get(i), path + "[" + i + "]", body);
      }
    } else if (documented.isNumber()) {
      assertTrue(actual.isNumber(), path + " is not a number in " + body);
      assertEquals(documented.getDoubleValue(), actual.getDoubleValue(), path + " in " + body);
    } else {
      assertEquals(documented, actual, path + " in " + body);
    }
  }
}
