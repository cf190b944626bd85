package dev.predictfn.protocol.bigquery;

import dev.predictfn.http.ApiException;
import io.micronaut.core.annotation.Nullable;
import java.util.List;
import java.util.Map;

/**
 * What one SQL function answers per row, chosen by its {@code user_defined_context} (sent as {@code
 * userDefinedContext}), so one endpoint serves several functions:
 *
 * <ul>
 *   <li>{@code return}: {@code label} (the default; {@code RETURNS STRING}), {@code probability}
 *       ({@code RETURNS FLOAT64}, the probability of the label named by {@code class}) or {@code
 *       json} ({@code RETURNS JSON}: label, every label's probability and the model version);
 *   <li>{@code on_null}: {@code error} (the default: a NULL argument fails the query and says
 *       where) or {@code null} (a row with a NULL argument answers NULL).
 * </ul>
 *
 * @param kind what a reply holds
 * @param label the label whose probability {@link Kind#PROBABILITY} answers, else null
 * @param nullForNullRows whether a row with a NULL argument answers NULL instead of failing
 */
record ReplyFormat(Kind kind, @Nullable String label, boolean nullForNullRows) {

  /** What a reply holds. */
  enum Kind {
    LABEL,
    PROBABILITY,
    JSON
  }

  static final String RETURN = "return";
  static final String CLASS = "class";
  static final String ON_NULL = "on_null";
  private static final List<String> KEYS = List.of(RETURN, CLASS, ON_NULL);

  /** The format {@code context} asks for, for a model with {@code labels}. */
  static ReplyFormat of(Map<String, String> context, List<String> labels) {
    for (String key : context.keySet()) {
      if (!KEYS.contains(key)) {
        throw ApiException.badRequest(
            "user_defined_context has the unknown key \""
                + key
                + "\"; this endpoint reads "
                + KEYS
                + " (docs/protocols.md, \"BigQuery remote function\").");
      }
    }
    String returned = context.getOrDefault(RETURN, "label");
    Kind kind =
        switch (returned) {
          case "label" -> Kind.LABEL;
          case "probability" -> Kind.PROBABILITY;
          case "json" -> Kind.JSON;
          default ->
              throw ApiException.badRequest(
                  "user_defined_context return is \""
                      + returned
                      + "\"; use label (RETURNS STRING), probability (RETURNS FLOAT64, with class)"
                      + " or json (RETURNS JSON).");
        };
    String label = context.get(CLASS);
    if (kind == Kind.PROBABILITY) {
      if (label == null || !labels.contains(label)) {
        throw ApiException.badRequest(
            "user_defined_context return=probability needs class, one of the model's labels "
                + labels
                + (label == null ? "; it has none." : ", but it is \"" + label + "\"."));
      }
    } else if (label != null) {
      throw ApiException.badRequest(
          "user_defined_context class is only read with return=probability, but return is "
              + returned
              + ".");
    }
    String onNull = context.getOrDefault(ON_NULL, "error");
    if (!onNull.equals("error") && !onNull.equals("null")) {
      throw ApiException.badRequest(
          "user_defined_context on_null is \"" + onNull + "\"; use error or null.");
    }
    return new ReplyFormat(kind, label, onNull.equals("null"));
  }
}
