package dev.predictfn.release;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fake CLI's arguments as gcloud and bq take them: {@code --name=value} and {@code --name} (value
 * "") flags, the rest positional, in order.
 */
record CliArgs(List<String> positional, Map<String, String> flags) {
  static CliArgs parse(String[] args) {
    List<String> positional = new ArrayList<>();
    Map<String, String> flags = new LinkedHashMap<>();
    for (String arg : args) {
      if (arg.startsWith("--")) {
        int eq = arg.indexOf('=');
        flags.put(eq < 0 ? arg : arg.substring(0, eq), eq < 0 ? "" : arg.substring(eq + 1));
      } else {
        positional.add(arg);
      }
    }
    return new CliArgs(positional, flags);
  }
}
