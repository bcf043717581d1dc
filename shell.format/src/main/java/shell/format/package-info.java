/**
 * What a busbar shell command returns, and the one place that turns it into text or JSON.
 *
 * <p>A command builds records (plain Java records: one per device, driver, frame...) and returns
 * them as a {@link shell.format.Listing} together with the {@link shell.format.Layout} that says
 * how they read as text. The command never formats: Gogo prints the listing through the
 * {@code Converter} this bundle registers, so a listing also pipes ({@code bus:devices | grep vdpa0})
 * and a script can take its {@code records()}. With {@value shell.format.Listing#JSON_OPTION} the
 * same records are written as JSON by Gson, in the shape the layout gives them; a refused command
 * throws, whatever the format, and Gogo reports it as a failure.
 *
 * <p>Two layouts cover every command: {@link shell.format.Table} (aligned columns, as lspci or
 * {@code bus:devices}) and {@link shell.format.Iproute2} (iproute2's {@code name: key value}
 * lines and its {@code {"section":{"name":{...}}}} JSON). A command with a shape of its own
 * ({@code net:link}) writes a {@code Layout} from those parts.
 *
 * <p>What commands take in is hostile input: {@link shell.format.Keywords} reads iproute2-style
 * {@code key value} words and refuses, in one line, an unknown, repeated or valueless key.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package shell.format;
