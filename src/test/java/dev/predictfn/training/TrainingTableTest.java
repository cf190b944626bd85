package dev.predictfn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CSV problems are reported with file, line and column before any training starts. */
class TrainingTableTest {
  private static final TrainingSpec SPEC =
      new TrainingSpec(
          null,
          "m",
          "1",
          "t.csv",
          "y",
          null,
          List.of(
              new TrainingSpec.Feature("a", "numeric", null, null, null),
              new TrainingSpec.Feature("c", "categorical", null, null, null)),
          new TrainingSpec.Split(0.3, 1),
          new TrainingSpec.SgdSettings(null, 1, 0.1, 0.1, 1),
          List.of(new TrainingSpec.Gate("accuracy", 0.5)),
          null);

  private static TrainingTable read(String csv) {
    return TrainingTable.read("t.csv", csv.getBytes(StandardCharsets.UTF_8), SPEC);
  }

  private static String error(String csv) {
    return assertThrows(TrainingException.class, () -> read(csv)).getMessage();
  }

  @Test
  void readsColumnsByNameWithQuotedCellsAndWindowsLineEndings() {
    TrainingTable table = read("\uFEFFy,c,a\r\nyes,\"x, y\",1\r\nno,\"say \"\"z\"\"\",3\r\n");

    assertArrayEquals(new double[] {1, 3}, table.columns().get(0).numbers());
    assertArrayEquals(new String[] {"x, y", "say \"z\""}, table.columns().get(1).categories());
    assertEquals(List.of("yes", "no"), table.labels());
  }

  @Test
  void reportsAMissingColumn() {
    assertEquals("t.csv line 1: missing column 'c' (header has [a, y])", error("a,y\n1,p\n2,q\n"));
  }

  @Test
  void reportsADuplicatedHeaderWithBothPositions() {
    assertEquals(
        "t.csv line 1, column 3: duplicated column name 'a' (also column 1)",
        error("a,c,a,y\n1,u,3,p\n"));
  }

  @Test
  void reportsANonNumericCellWithLineAndColumn() {
    assertEquals("t.csv line 3, column 1 (a): 'x' is not a number", error("a,c,y\n1,u,p\nx,v,q\n"));
  }

  @Test
  void reportsAnInfiniteCell() {
    assertEquals(
        "t.csv line 2, column 1 (a): 'Infinity' is not finite",
        error("a,c,y\nInfinity,u,p\n3,v,q\n"));
  }

  @Test
  void reportsAnEmptyCell() {
    assertEquals(
        "t.csv line 3, column 2 (c): empty value; fill it in or drop the row",
        error("a,c,y\n1,u,p\n2,,q\n"));
  }

  @Test
  void reportsAnEmptyColumn() {
    assertEquals("t.csv, column 2 (c): empty in all 2 rows", error("a,c,y\n1,,p\n2,,q\n"));
  }

  @Test
  void reportsAConstantNumericColumn() {
    assertEquals(
        "t.csv, column 1 (a): constant ('5' in all 3 rows), so it cannot inform the model;"
            + " remove it from the spec's features",
        error("a,c,y\n5,u,p\n5,v,q\n5,u,q\n"));
  }

  @Test
  void reportsAConstantCategoricalColumn() {
    assertEquals(
        "t.csv, column 2 (c): constant ('u' in all 2 rows), so it cannot inform the model;"
            + " remove it from the spec's features",
        error("a,c,y\n1,u,p\n2,u,q\n"));
  }

  @Test
  void reportsARaggedRow() {
    assertEquals("t.csv line 2: expected 3 columns but found 2", error("a,c,y\n1,u\n"));
  }

  @Test
  void reportsAnUnclosedQuote() {
    assertEquals(
        "t.csv line 2: a quoted cell is not closed (cells may not span lines)",
        error("a,c,y\n1,\"u,p\n"));
  }

  @Test
  void reportsAnEmptyLabel() {
    assertEquals("t.csv line 2, column 3 (y): empty label", error("a,c,y\n1,u,\n2,v,q\n"));
  }

  @Test
  void reportsASingleClass() {
    assertEquals(
        "t.csv, column 3 (y): a classifier needs at least two classes but found only [p]",
        error("a,c,y\n1,u,p\n3,v,p\n"));
  }

  @Test
  void reportsAFileWithoutRows() {
    assertEquals("t.csv: no data rows after the header", error("a,c,y\n"));
  }
}
