package org.kabar.admin;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The rows of a console table, sorted by a column the operator picks and shown a page at a time.
 *
 * @param <T> one row
 */
public final class Table<T> implements Serializable {

  private static final long serialVersionUID = 1L;

  /** What a column shows of a row, by which it sorts (empty values first). */
  @FunctionalInterface
  public interface Key<T> extends Function<T, Comparable<?>>, Serializable {}

  private final Map<String, Key<T>> columns = new LinkedHashMap<>();
  private final int pageSize;
  private String sortBy;
  private boolean ascending = true;
  private int page;
  private List<T> rows = List.of();

  /** A table of {@code pageSize} rows a page, sorted by its first column until told otherwise. */
  public Table(int pageSize) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("pageSize < 1");
    }
    this.pageSize = pageSize;
  }

  /** Adds a column the table can be sorted by. */
  public Table<T> column(String name, Key<T> key) {
    columns.put(name, key);
    if (sortBy == null) {
      sortBy = name;
    }
    return this;
  }

  /** Starts sorted by this column, newest or largest first if not ascending. */
  public Table<T> sortedBy(String name, boolean ascending) {
    requireColumn(name);
    this.sortBy = name;
    this.ascending = ascending;
    return this;
  }

  /** Replaces the rows, keeping the sort and, if it still exists, the page. */
  public void setRows(List<T> rows) {
    List<T> sorted = new ArrayList<>(rows);
    Key<T> key = columns.get(sortBy);
    if (key != null) {
      Comparator<T> order = (a, b) -> compare(key.apply(a), key.apply(b));
      Key<T> first = columns.values().iterator().next();
      // rows alike in the chosen column keep the order of the first column
      sorted.sort(
          (ascending ? order : order.reversed())
              .thenComparing((a, b) -> compare(first.apply(a), first.apply(b))));
    }
    this.rows = List.copyOf(sorted);
    page = Math.min(page, getPages() - 1);
  }

  /** Sorts by a column; sorting by the same column again reverses the order. */
  public void sort(String name) {
    requireColumn(name);
    if (name.equals(sortBy)) {
      ascending = !ascending;
    } else {
      sortBy = name;
      ascending = true;
    }
    page = 0;
    setRows(rows);
  }

  /** The rows of the page shown. */
  public List<T> getPage() {
    int from = page * pageSize;
    return rows.subList(from, Math.min(rows.size(), from + pageSize));
  }

  /** An arrow showing whether and how the table is sorted by this column. */
  public String arrow(String name) {
    return name.equals(sortBy) ? (ascending ? " ▲" : " ▼") : "";
  }

  public void next() {
    page = Math.min(page + 1, getPages() - 1);
  }

  public void previous() {
    page = Math.max(page - 1, 0);
  }

  /** The page shown, counted from 1. */
  public int getPageNumber() {
    return page + 1;
  }

  /** How many pages there are (at least one, even when empty). */
  public int getPages() {
    return Math.max(1, (rows.size() + pageSize - 1) / pageSize);
  }

  public int getTotal() {
    return rows.size();
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  public boolean isFirst() {
    return page == 0;
  }

  public boolean isLast() {
    return page >= getPages() - 1;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Comparable a, Comparable b) {
    if (a == b) {
      return 0;
    }
    if (a == null || b == null) {
      return a == null ? -1 : 1;
    }
    return a.compareTo(b);
  }

  private void requireColumn(String name) {
    if (!columns.containsKey(name)) {
      throw new IllegalArgumentException("no column " + name);
    }
  }
}
