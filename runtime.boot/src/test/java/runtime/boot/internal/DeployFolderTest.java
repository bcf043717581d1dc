package runtime.boot.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployFolderTest {

    @TempDir
    Path home;

    static final Map<String, byte[]> DEFAULTS = Map.of("a.cfg", "name=a\n".getBytes(StandardCharsets.UTF_8),
            "b.cfg", "name=b\n".getBytes(StandardCharsets.UTF_8));

    @Test
    void aMissingFolderIsCreatedWithTheFilesAndNothingBeside() throws Exception {
        Path deploy = home.resolve("deploy");
        assertThat(DeployFolder.create(deploy, DEFAULTS)).isTrue();
        try (var files = Files.list(deploy)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a.cfg", "b.cfg");
        }
        assertThat(Files.readString(deploy.resolve("b.cfg"))).isEqualTo("name=b\n");
        try (var files = Files.list(home)) {
            assertThat(files).as("no staging folder left").containsExactly(deploy);
        }
    }

    @Test
    void anExistingFolderIsLeftAsItIsEvenEmpty() throws Exception {
        Path deploy = Files.createDirectory(home.resolve("deploy"));
        assertThat(DeployFolder.create(deploy, DEFAULTS)).isFalse();
        try (var files = Files.list(deploy)) {
            assertThat(files).isEmpty();
        }
        Files.writeString(deploy.resolve("mine.cfg"), "name=mine\n");
        assertThat(DeployFolder.create(deploy, DEFAULTS)).isFalse();
        try (var files = Files.list(deploy)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("mine.cfg");
        }
    }

    @Test
    void aFolderThatCannotBeMadeIsAnErrorAndLeavesNothingBehind() throws Exception {
        Files.writeString(home.resolve("file"), "not a folder");
        Path deploy = home.resolve("file/deploy");
        assertThatThrownBy(() -> DeployFolder.create(deploy, DEFAULTS)).isInstanceOf(IOException.class);
        try (var files = Files.list(home)) {
            assertThat(files).containsExactly(home.resolve("file"));
        }
    }

    @Test
    void aFolderWhoseParentIsMissingIsCreatedWithIt() throws Exception {
        Path deploy = home.resolve("nested/deploy");
        assertThat(DeployFolder.create(deploy, Map.of())).isTrue();
        assertThat(deploy).isEmptyDirectory();
    }
}
