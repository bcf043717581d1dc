/**
 * Output helpers every busbar shell command shares: aligned text tables like iproute2 and lspci
 * print, and a small JSON writer for {@code -j}. Commands build records, then format them here, so
 * the text and the JSON always say the same thing.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package driver.core.shell;
