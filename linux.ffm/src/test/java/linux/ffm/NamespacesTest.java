package linux.ffm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class NamespacesTest {

    /** (Joining a real namespace needs root; the interop tier's NetnsIT does, through a TAP.) */
    @Test
    void aDescriptorThatIsNoNamespaceIsRefusedNamingTheCall() throws Exception {
        try (Fd memfd = Files.memfdCreate("not-a-namespace", 0)) {
            LinuxException e = catchThrowableOfType(LinuxException.class,
                    () -> Namespaces.setns(memfd, Namespaces.CLONE_NEWNET));
            assertThat(e.call()).isEqualTo("setns");
            assertThat(e.errno()).isEqualTo(Errno.EINVAL);
        }
    }
}
