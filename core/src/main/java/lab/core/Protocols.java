package lab.core;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The protocols on the class path, by name.
 */
public final class Protocols
{
    private Protocols()
    {
    }

    public static List<ProtocolFactory> all()
    {
        final TreeMap<String, ProtocolFactory> byName = new TreeMap<>();
        for (final ProtocolFactory f : ServiceLoader.load(ProtocolFactory.class))
        {
            byName.put(f.name(), f);
        }
        return new ArrayList<>(byName.values());
    }

    public static ProtocolFactory byName(final String name)
    {
        final List<String> names = new ArrayList<>();
        for (final ProtocolFactory f : all())
        {
            if (f.name().equals(name))
            {
                return f;
            }
            names.add(f.name());
        }
        throw new IllegalArgumentException("unknown protocol '" + name + "' (known: " + String.join(", ", names) + ")");
    }
}
