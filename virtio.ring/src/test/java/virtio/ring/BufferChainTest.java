package virtio.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BufferChainTest {

    @Test
    void readableElementsComeFirstAndWritableBytesAreSummed() {
        BufferChain c = new BufferChain(1).readable(0x1000, 10).readable(0x2000, 5).writable(0x3000, 7).writable(0x4000, 1);
        assertThat(c.count()).isEqualTo(4);
        assertThat(c.readableCount()).isEqualTo(2);
        assertThat(c.isWritable(1)).isFalse();
        assertThat(c.isWritable(2)).isTrue();
        assertThat(c.address(3)).isEqualTo(0x4000);
        assertThat(c.length(0)).isEqualTo(10);
        assertThat(c.writableBytes()).isEqualTo(8);
    }

    @Test
    void readableAfterWritableIsRefused() {
        BufferChain c = new BufferChain(2).writable(0x1000, 1);
        assertThatThrownBy(() -> c.readable(0x2000, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void clearEmptiesForReuse() {
        BufferChain c = new BufferChain(2).writable(0x1000, 1);
        c.clear().readable(0x2000, 3);
        assertThat(c.count()).isEqualTo(1);
        assertThat(c.writableBytes()).isZero();
    }

    @Test
    void negativeLengthIsRefused() {
        assertThatThrownBy(() -> new BufferChain(1).readable(0, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
