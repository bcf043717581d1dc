package virtio.vdpa.internal;

import static org.assertj.core.api.Assertions.assertThat;

import driver.core.Bus;
import driver.core.BusConstants;
import driver.core.BusFactory;
import driver.core.internal.InMemoryBus;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import vdpa.bus.SimpleVdpaDevice;
import vdpa.bus.internal.VdpaBusComponent;
import virtio.bus.InMemoryVirtioDevice;
import virtio.bus.internal.VirtioBusComponent;
import virtio.vdpa.VirtioVdpaConstants;

/**
 * The DS descriptor bnd generated is what SCR reads and so what the vDPA bus sees: name, match
 * rule, ranking, service type, and the virtio bus reference. Each check reads the descriptor, so a
 * change to the component's annotations that changes what the bus sees fails here.
 */
class ComponentDescriptorTest {

    private static Document descriptor() throws Exception {
        try (InputStream in = ComponentDescriptorTest.class.getResourceAsStream(
                "/OSGI-INF/" + VirtioVdpaComponent.class.getName() + ".xml")) {
            assertThat(in).as("bnd wrote the component descriptor").isNotNull();
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
    }

    private static List<Element> elements(Document d, String tag) {
        NodeList nodes = d.getElementsByTagName(tag);
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }

    /** The component's service properties as name to "type:value". */
    private static Map<String, String> properties() throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        for (Element e : elements(descriptor(), "property")) {
            p.put(e.getAttribute("name"), e.getAttribute("type") + ":" + e.getAttribute("value"));
        }
        return p;
    }

    /** The match rule exactly as the driver service will carry it. */
    private static Filter matchRule() throws Exception {
        String m = properties().get(BusConstants.DRIVER_MATCH);
        assertThat(m).as(BusConstants.DRIVER_MATCH).startsWith("String:");
        return FrameworkUtil.createFilter(m.substring("String:".length()));
    }

    @Test
    void theDriverServiceCarriesItsNameMatchRuleAndRanking() throws Exception {
        assertThat(properties()).containsEntry(BusConstants.DRIVER_NAME, "String:" + VirtioVdpaConstants.DRIVER_NAME)
                .containsEntry(Constants.SERVICE_RANKING, "Integer:0")
                .containsKey(BusConstants.DRIVER_MATCH);
        Document d = descriptor();
        assertThat(elements(d, "provide")).extracting(e -> e.getAttribute("interface"))
                .containsExactly(vdpa.bus.VdpaDriver.class.getName());
        assertThat(elements(d, "reference")).extracting(e -> e.getAttribute("interface"))
                .containsExactly(virtio.bus.VirtioBus.class.getName());
    }

    /** Builds each bus over driver.core's real admission and engine, without a framework. */
    private static final BusFactory ENGINES = new BusFactory() {
        @Override
        public <D> Engine<D> create(BundleContext owner, Spec<D> spec) {
            return new InMemoryBus<>(spec);
        }
    };

    /** The properties the real bus publishes with a device registered under this name. */
    private static <D> Map<String, Object> published(Bus<D> bus, D device, String name) throws Exception {
        bus.register(device, Map.of(BusConstants.DEVICE_NAME, name));
        return bus.devices().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow().properties();
    }

    @Test
    void theMatchRuleTakesEveryDeviceTheVdpaBusPublishes() throws Exception {
        Filter match = matchRule();
        VdpaBusComponent vdpa = new VdpaBusComponent(ENGINES, null);
        try {
            assertThat(match.matches(published(vdpa, new SimpleVdpaDevice(), "vdpa0"))).isTrue();
            SimpleVdpaDevice blk = new SimpleVdpaDevice() {
                @Override public int getDeviceId() { return 2; }
            };
            assertThat(match.matches(published(vdpa, blk, "blk7"))).isTrue();
        } finally {
            vdpa.close();
        }
    }

    @Test
    void theMatchRuleTakesNoDeviceOfTheVirtioBus() throws Exception {
        VirtioBusComponent virtio = new VirtioBusComponent(ENGINES, null);
        try {
            assertThat(matchRule().matches(published(virtio, InMemoryVirtioDevice.net(), "virtio0"))).isFalse();
        } finally {
            virtio.close();
        }
    }
}
