package virtio.ring;

/** The two ring layouts, for tests that hold for both. */
enum Layout {
    SPLIT, PACKED;

    Rig rig(int size, int... featureBits) {
        return this == SPLIT ? Rig.split(size, featureBits) : Rig.packed(size, featureBits);
    }
}
