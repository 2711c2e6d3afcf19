package org.kabar.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TableTest {

  private static Table<String> names() {
    Table<String> table =
        new Table<String>(2).column("name", s -> s).column("length", String::length);
    table.setRows(List.of("dewi", "ayu", "citra", "budi", "eko"));
    return table;
  }

  @Test
  void sortsByTheFirstColumnAndPages() {
    Table<String> table = names();
    assertEquals(List.of("ayu", "budi"), table.getPage());
    assertEquals(3, table.getPages());
    assertTrue(table.isFirst());
    table.next();
    assertEquals(List.of("citra", "dewi"), table.getPage());
    table.next();
    table.next(); // past the end stays on the last page
    assertEquals(List.of("eko"), table.getPage());
    assertTrue(table.isLast());
    assertEquals(3, table.getPageNumber());
  }

  @Test
  void sortingAgainReversesAndStartsAtTheFirstPage() {
    Table<String> table = names();
    table.next();
    table.sort("name");
    assertEquals(List.of("eko", "dewi"), table.getPage());
    assertEquals(" ▼", table.arrow("name"));
    assertEquals("", table.arrow("length"));
    table.sort("length");
    assertEquals(List.of("ayu", "eko"), table.getPage());
    assertEquals(" ▲", table.arrow("length"));
  }

  @Test
  void fewerRowsKeepThePageInRange() {
    Table<String> table = names();
    table.next();
    table.next();
    table.setRows(List.of("ayu"));
    assertEquals(List.of("ayu"), table.getPage());
    table.setRows(List.of());
    assertTrue(table.isEmpty());
    assertEquals(1, table.getPages());
    assertEquals(List.of(), table.getPage());
    assertFalse(table.isFirst() && !table.isLast());
  }

  @Test
  void anUnknownColumnIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> names().sort("password"));
    assertThrows(IllegalArgumentException.class, () -> new Table<String>(0));
  }

  @Test
  void manyRowsPageInOrder() {
    Table<String> table = new Table<String>(25).column("name", s -> s);
    table.setRows(IntStream.range(0, 60).mapToObj(i -> String.format("u%03d", i)).toList());
    table.next();
    table.next();
    assertEquals(10, table.getPage().size());
    assertEquals("u050", table.getPage().get(0));
  }
}
