package driver.core.shell;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A text table whose columns are padded to their widest cell; the last column is not padded. */
public final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    /** @param header the column titles, printed in capitals as given */
    public Table(String... header) {
        this.columns = header.length;
        rows.add(header.clone());
    }

    /** Adds a row; {@code null} cells print as {@code -}. */
    public Table row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + columns);
        }
        rows.add(Arrays.stream(cells).map(c -> c == null ? "-" : c.toString()).toArray(String[]::new));
        return this;
    }

    @Override
    public String toString() {
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                sb.append(r[i]);
                if (i < columns - 1) {
                    sb.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
