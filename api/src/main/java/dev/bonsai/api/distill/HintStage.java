package dev.bonsai.api.distill;

import dev.bonsai.api.Experimental;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.model.ModelSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which of a student's parameters FitNets' first stage leaves alone, the same on every engine: when every term of
 * the loss is a {@link LossTerm.HintMse}, the parameters of the layers after the last guided layer (a guided layer
 * nested in a block trains the whole top-level block that holds it); otherwise none.
 */
@Experimental("arrives with distillation")
public final class HintStage {
    private HintStage() {
    }

    /**
     * The names of the parameters of {@code student} that training with {@code loss} must not update.
     *
     * @throws dev.bonsai.api.BonsaiException when a guided layer does not exist in the student
     */
    public static Set<String> frozen(ModelSpec student, List<LossTerm> loss) {
        if (loss.isEmpty() || !loss.stream().allMatch(t -> t instanceof LossTerm.HintMse)) {
            return Set.of();
        }
        List<String> order = new ArrayList<>(student.layerOutputs().keySet());
        Set<String> top = new LinkedHashSet<>();
        student.layers().forEach(l -> top.add(l.name()));
        int last = -1;
        for (LossTerm term : loss) {
            String guided = ((LossTerm.HintMse) term).studentLayer();
            TeacherChecks.layerOutput(student, guided, "guided layer", "student");
            int i = order.indexOf(guided);
            while (!top.contains(order.get(i))) {
                i++; // a nested layer: train the whole top-level layer that holds it
            }
            last = Math.max(last, i);
        }
        Set<String> trained = new LinkedHashSet<>(order.subList(0, last + 1));
        Set<String> frozen = new LinkedHashSet<>();
        student.parameters().values().forEach(p -> {
            if (!trained.contains(p.layer())) {
                frozen.add(p.name());
            }
        });
        return frozen;
    }
}
