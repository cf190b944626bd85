package dev.predictfn.training;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Parses {@code --name value} pairs, rejecting unknown names and missing required ones. */
public final class CommandLine {
  private CommandLine() {}

  public static Map<String, String> parse(String[] args, List<String> required, List<String> optional) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (!required.contains(name) && !optional.contains(name)) {
        throw new IllegalArgumentException("unknown option " + name);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      values.put(name, args[++i]);
    }
    for (String name : required) {
      if (!values.containsKey(name)) {
        throw new IllegalArgumentException("missing " + name);
      }
    }
    return values;
  }
}
