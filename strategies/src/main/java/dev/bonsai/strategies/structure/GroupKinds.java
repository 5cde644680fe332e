package dev.bonsai.strategies.structure;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.prune.Structure;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registered kinds of pruning group, one per structured {@link Structure.Unit}. */
public final class GroupKinds {

    private static final Map<Structure.Unit, GroupKind> KINDS = register(new NeuronGroups(), new ChannelKind(),
            new HeadKind(), new MlpGroups(), new BlockGroups());

    private GroupKinds() {
    }

    private static Map<Structure.Unit, GroupKind> register(GroupKind... kinds) {
        Map<Structure.Unit, GroupKind> out = new LinkedHashMap<>();
        for (GroupKind k : kinds) {
            out.put(k.unit(), k);
        }
        return Collections.unmodifiableMap(out);
    }

    /** The kind of {@code unit}. */
    public static GroupKind of(Structure.Unit unit) {
        GroupKind kind = KINDS.get(unit);
        if (kind == null) {
            throw new BonsaiException("no pruning group kind is registered for structure '" + unit + "'");
        }
        return kind;
    }

    /** The kind named {@code name} in descriptors ({@code neurons}, {@code heads}, …), if there is one. */
    public static Optional<GroupKind> named(String name) {
        return KINDS.values().stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /** Every kind, in registration order. */
    public static List<GroupKind> all() {
        return List.copyOf(KINDS.values());
    }
}
