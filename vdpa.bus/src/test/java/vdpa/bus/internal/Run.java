package vdpa.bus.internal;

import java.util.List;
import shell.format.Listing;

/** What a vdpa command prints, as the shell would show it: its listing rendered, or nothing. */
final class Run {
    private Run() {}

    static List<String> words(String line) {
        return line.isEmpty() ? List.of() : List.of(line.split(" "));
    }

    static String text(Listing<?> answer) {
        return answer == null ? null : answer.render();
    }

    static String json(Listing<?> answer) {
        return answer == null ? null : answer.asJson(true).render();
    }
}
