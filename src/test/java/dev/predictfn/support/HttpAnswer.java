package dev.predictfn.support;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What came back from one {@link HttpCall}.
 *
 * @param status the status code
 * @param headers response headers, names lower-cased
 * @param body the body as text
 */
public record HttpAnswer(int status, Map<String, List<String>> headers, String body) {

  /** The first value of a header, by case-insensitive name. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** The media type of the body, without parameters. */
  public String mediaType() {
    return header("content-type").map(v -> v.split(";")[0].trim()).orElse("");
  }
}
