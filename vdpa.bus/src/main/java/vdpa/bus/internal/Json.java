package vdpa.bus.internal;

/** The little JSON the shell writes: strings escaped per RFC 8259; numbers and arrays by the caller. */
final class Json {
    private Json() {}

    /** A JSON string literal. */
    static String str(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** A JSON array of strings. */
    static String strings(Iterable<String> items) {
        StringBuilder b = new StringBuilder("[");
        for (String s : items) {
            b.append(b.length() > 1 ? "," : "").append(str(s));
        }
        return b.append(']').toString();
    }
}
