package driver.core;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The DS descriptor bnd generated for a component (OSGI-INF/&lt;name&gt;.xml on the class path), as
 * Service Component Runtime reads it: for tests that check what a bus will see of a driver, from
 * the build's output rather than from a copy of the component's annotations.
 */
public final class ComponentDescriptor {

    private final Document xml;

    private ComponentDescriptor(Document xml) {
        this.xml = xml;
    }

    /** The descriptor of the component named {@code name}, found through {@code owner}'s class loader. */
    public static ComponentDescriptor of(Class<?> owner, String name) throws Exception {
        String resource = "/OSGI-INF/" + name + ".xml";
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError("bnd wrote no component descriptor " + resource);
            }
            return new ComponentDescriptor(DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in));
        }
    }

    /** The component's properties as name to {@code type:value}, e.g. {@code service.ranking -> Integer:0}. */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        for (Element e : elements("property")) {
            p.put(e.getAttribute("name"), e.getAttribute("type") + ":" + e.getAttribute("value"));
        }
        return p;
    }

    /** The String property {@code name}; fails if it is missing or of another type. */
    public String string(String name) {
        String typed = properties().get(name);
        if (typed == null || !typed.startsWith("String:")) {
            throw new AssertionError("no String property " + name + " in " + properties());
        }
        return typed.substring("String:".length());
    }

    /** The driver's match rule ({@value BusConstants#DRIVER_MATCH}) as the bus will parse it. */
    public Filter matchRule() throws InvalidSyntaxException {
        return FrameworkUtil.createFilter(string(BusConstants.DRIVER_MATCH));
    }

    /** The service interfaces the component provides. */
    public List<String> provides() {
        return elements("provide").stream().map(e -> e.getAttribute("interface")).toList();
    }

    /** The interfaces of the component's references. */
    public List<String> references() {
        return elements("reference").stream().map(e -> e.getAttribute("interface")).toList();
    }

    private List<Element> elements(String tag) {
        NodeList nodes = xml.getElementsByTagName(tag);
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }
}
