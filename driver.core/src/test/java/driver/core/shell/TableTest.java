package driver.core.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void columnsArePaddedToTheWidestCellAndNullPrintsAsDash() {
        String t = new Table("BUS", "DEVICE", "DRIVER").row("vdpa", "vdpa0", "virtio_vdpa").row("virtio", "virtio0", null).toString();
        assertThat(t).isEqualTo("""
                BUS     DEVICE   DRIVER
                vdpa    vdpa0    virtio_vdpa
                virtio  virtio0  -
                """);
    }

    @Test
    void aRowOfTheWrongWidthIsRefused() {
        assertThatThrownBy(() -> new Table("A", "B").row("x")).hasMessageContaining("1 cells, table has 2");
    }
}
