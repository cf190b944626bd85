package dev.predictfn.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.support.RequiresCommands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's base is fetched from the Debian mirror the build machine's apt uses (or one named on
 * the command line or in DEBIAN_MIRROR), so the repository names no mirror and a company mirror
 * works without editing the script.
 */
@RequiresCommands({"bash", "awk", "sed", "grep"})
class BaseMirrorTest {
  @TempDir Path apt;

  private record Result(int status, String out, String err) {}

  private Result printMirror(Map<String, String> env, String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(List.of("bash", "src/main/image/base.sh", "--print-mirror"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("DEBIAN_MIRROR");
    builder.environment().put("APT_ETC", apt.toString());
    builder.environment().putAll(env);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), out.strip(), err);
  }

  private void write(String file, String text) throws IOException {
    Path path = apt.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, text);
  }

  @Test
  void takesTheMirrorOfTheMachinesDeb822Sources() throws Exception {
    write(
        "sources.list.d/debian.sources",
        "Types: deb\nURIs: http://mirror.corp.example/debian\nSuites: bookworm\n"
            + "Components: main\n\nTypes: deb\nURIs: http://mirror.corp.example/debian-security\n"
            + "Suites: bookworm-security\nComponents: main\n");
    Result result = printMirror(Map.of());
    assertEquals(0, result.status(), result.err());
    assertEquals("http://mirror.corp.example", result.out());
  }

  @Test
  void takesTheMirrorOfAOneLineSourcesList() throws Exception {
    write(
        "sources.list",
        "# a comment\ndeb [signed-by=/usr/share/keyrings/k.gpg] https://apt.corp.example/debian/"
            + " bookworm main\n");
    Result result = printMirror(Map.of());
    assertEquals(0, result.status(), result.err());
    assertEquals("https://apt.corp.example", result.out());
  }

  @Test
  void theEnvironmentAndTheArgumentWinOverApt() throws Exception {
    write("sources.list", "deb http://apt.corp.example/debian bookworm main\n");
    assertEquals(
        "http://ci.example", printMirror(Map.of("DEBIAN_MIRROR", "http://ci.example")).out());
    assertEquals(
        "http://arg.example",
        printMirror(Map.of("DEBIAN_MIRROR", "http://ci.example"), "--mirror", "http://arg.example")
            .out());
  }

  @Test
  void withoutAnyMirrorItSaysHowToNameOne() throws Exception {
    write("sources.list", "deb http://archive.ubuntu.example/ubuntu noble main\n");
    Result result = printMirror(Map.of());
    assertEquals(2, result.status(), result.out());
    assertTrue(result.err().contains("pass --mirror URL, set DEBIAN_MIRROR"), result.err());
  }
}
