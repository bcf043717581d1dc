package shell.format.internal;

import java.util.Collection;
import java.util.List;
import org.apache.felix.service.command.Converter;
import org.osgi.service.component.annotations.Component;
import shell.format.Listing;

/**
 * Gogo's view of a {@link Listing}: printed (at the prompt, or into a pipe) as its
 * {@link Listing#render() rendering}; handed to a parameter that wants a string as that text, to
 * one that wants a list as its records. Gogo asks every converter in turn; this one answers only
 * for listings. (Felix's gogo.command formats bundles and services the same way.)
 */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=shell.format.Listing")
public final class ListingConverter implements Converter {

    @Override
    public Object convert(Class<?> desiredType, Object in) {
        if (!(in instanceof Listing<?> l)) {
            return null;
        }
        if (desiredType == String.class || desiredType == CharSequence.class) {
            return l.render();
        }
        if (desiredType == List.class || desiredType == Collection.class || desiredType == Iterable.class) {
            return l.records();
        }
        return null;
    }

    @Override
    public CharSequence format(Object target, int level, Converter escape) {
        return target instanceof Listing<?> l ? l.render() : null;
    }
}
