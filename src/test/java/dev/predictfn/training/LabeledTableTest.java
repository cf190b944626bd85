package dev.predictfn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CSV problems are reported with file, line and column before any training starts. */
class LabeledTableTest {
  private static final List<String> FEATURES = List.of("a", "b");

  private static LabeledTable parse(String csv) {
    return LabeledTable.parse("t.csv", csv.getBytes(StandardCharsets.UTF_8), FEATURES, "y");
  }

  private static String error(String csv) {
    return assertThrows(TrainingException.class, () -> parse(csv)).getMessage();
  }

  @Test
  void readsColumnsByNameInSpecOrder() {
    LabeledTable table = parse("y,b,a\nyes,2,1\nno,4,3\n");

    assertArrayEquals(new double[] {1, 2}, table.rows().get(0));
    assertArrayEquals(new double[] {3, 4}, table.rows().get(1));
    assertEquals(List.of("yes", "no"), table.labels());
  }

  @Test
  void acceptsWindowsLineEndingsAndAByteOrderMark() {
    assertEquals(2, parse("\uFEFFa,b,y\r\n1,2,p\r\n3,4,q\r\n").size());
  }

  @Test
  void reportsAMissingColumn() {
    assertEquals("t.csv line 1: missing column 'b' (header has [a, y])", error("a,y\n1,p\n2,q\n"));
  }

  @Test
  void reportsADuplicatedHeader() {
    assertEquals("t.csv line 1: duplicated column 'a'", error("a,b,a,y\n1,2,3,p\n"));
  }

  @Test
  void reportsANonNumericCell() {
    assertEquals("t.csv line 3, column b: 'x' is not a number", error("a,b,y\n1,2,p\n3,x,q\n"));
  }

  @Test
  void reportsAnInfiniteCell() {
    assertEquals(
        "t.csv line 2, column a: 'Infinity' is not finite", error("a,b,y\nInfinity,2,p\n3,4,q\n"));
  }

  @Test
  void reportsARaggedRow() {
    assertEquals("t.csv line 2: expected 3 columns but found 2", error("a,b,y\n1,2\n"));
  }

  @Test
  void reportsAnEmptyLabel() {
    assertEquals("t.csv line 2, column y: empty label", error("a,b,y\n1,2,\n"));
  }

  @Test
  void reportsASingleClass() {
    assertEquals(
        "t.csv, column y: a classifier needs at least two classes but found only [p]",
        error("a,b,y\n1,2,p\n3,4,p\n"));
  }

  @Test
  void reportsAFileWithoutRows() {
    assertEquals("t.csv: no data rows after the header", error("a,b,y\n"));
  }
}
