package shell.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static shell.format.Table.column;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {
    record Row(String bus, String device, String driver) {}

    static final Table<Row> TABLE = Table.of(column("BUS", Row::bus), column("DEVICE", Row::device), column("DRIVER", Row::driver));

    @Test
    void columnsArePaddedToTheWidestCellAndNullPrintsAsDash() {
        assertThat(TABLE.text(List.of(new Row("vdpa", "vdpa0", "virtio_vdpa"), new Row("virtio", "virtio0", null)))).isEqualTo("""
                BUS     DEVICE   DRIVER
                vdpa    vdpa0    virtio_vdpa
                virtio  virtio0  -
                """);
    }

    @Test
    void noRecordsIsTheHeaderAlone() {
        assertThat(TABLE.text(List.of())).isEqualTo("BUS  DEVICE  DRIVER\n");
    }

    @Test
    void anIndentedTableShiftsEveryLine() {
        assertThat(TABLE.indent(4).text(List.of(new Row("vdpa", "vdpa0", "x")))).isEqualTo("""
                    BUS   DEVICE  DRIVER
                    vdpa  vdpa0   x
                """);
    }

    @Test
    void aTableWithoutColumnsIsRefused() {
        assertThatThrownBy(Table::of).hasMessage("a table needs a column");
    }
}
