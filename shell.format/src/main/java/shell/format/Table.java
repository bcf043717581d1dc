package shell.format;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Records as an aligned table, one row each under a header of titles: every column is padded to
 * its widest cell plus two spaces, the last one is not padded; a {@code null} cell prints as
 * {@code -}. The JSON is the records themselves.
 *
 * <pre>
 * static final Table&lt;BusRow&gt; LAYOUT = Table.of(
 *         Table.column("BUS", BusRow::bus), Table.column("DEVICES", BusRow::devices));
 * </pre>
 *
 * @param <R> the record type
 */
public final class Table<R> implements Layout<R> {

    /** One column: its title and how a record gives its cell. */
    public record Column<R>(String title, Function<? super R, ?> cell) {}

    private final List<Column<R>> columns;
    private final String indent;

    private Table(List<Column<R>> columns, String indent) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a table needs a column");
        }
        this.columns = List.copyOf(columns);
        this.indent = indent;
    }

    /** A column titled {@code title} whose cells are {@code cell} of each record. */
    public static <R> Column<R> column(String title, Function<? super R, ?> cell) {
        return new Column<>(title, cell);
    }

    /** A table of these columns, left to right. */
    @SafeVarargs
    public static <R> Table<R> of(Column<R>... columns) {
        return new Table<>(List.of(columns), "");
    }

    /** The same table with every line, header too, shifted right by {@code spaces}. */
    public Table<R> indent(int spaces) {
        return new Table<>(columns, " ".repeat(spaces));
    }

    @Override
    public String text(List<? extends R> records) {
        List<String[]> rows = new ArrayList<>(records.size() + 1);
        rows.add(columns.stream().map(Column::title).toArray(String[]::new));
        for (R r : records) {
            String[] row = new String[columns.size()];
            for (int i = 0; i < row.length; i++) {
                Object cell = columns.get(i).cell().apply(r);
                row[i] = cell == null ? "-" : cell.toString();
            }
            rows.add(row);
        }
        int[] width = new int[columns.size()];
        for (String[] row : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            sb.append(indent);
            for (int i = 0; i < width.length; i++) {
                sb.append(row[i]);
                if (i < width.length - 1) {
                    sb.append(" ".repeat(width[i] - row[i].length() + 2));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
