package dev.bonsai.experiments.cli;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.models.pretrained.DecoderConfig;
import dev.bonsai.models.pretrained.ModelFormat;
import dev.bonsai.models.pretrained.ModelFormats;
import dev.bonsai.models.pretrained.PretrainedModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bonsai export MODEL --format ID --out PATH}: a pretrained model, or a run's checkpoint of one (its pruned
 * zeros kept), written in a pretrained-model format through that format's writer.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a pretrained language model, or a run's checkpoint of one (pruned weights as they are), in"
                + " a checkpoint format other tools read. A model the format cannot express is refused with the reason;"
                + " nothing that exists is replaced.")
final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL",
            description = "A run's checkpoint (.safetensors) of a pretrained model, or a pretrained model file or folder.")
    Path model;

    @Option(names = "--format", required = true, paramLabel = "ID",
            description = "The format to write: llama2c, gguf or huggingface.")
    String format;

    @Option(names = "--out", required = true, paramLabel = "PATH",
            description = "The file (llama2c, gguf) or folder (huggingface) to write; must not exist.")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ModelFormat writer;
        try {
            writer = ModelFormats.named(format);
        } catch (IllegalArgumentException e) {
            throw new BonsaiException("--format: " + e.getMessage());
        }
        ModelFile file = ModelFile.read(model);
        if (file.tokenizer().isEmpty()) {
            throw new BonsaiException(model + " is not a pretrained language model (it has no tokenizer): only "
                    + "pretrained models and runs' checkpoints of them can be exported");
        }
        DecoderConfig config = file.pretrained().orElseThrow(() -> new BonsaiException(model + " cannot be "
                + "exported: " + notDecoder(file)));
        PretrainedModel pretrained = new PretrainedModel(config, file.weights(), file.tokenizer().get(), writer.id());
        try {
            writer.write(pretrained, out);
        } catch (FileAlreadyExistsException e) {
            throw new BonsaiException(out + " exists; export writes a new file or folder and replaces nothing");
        } catch (IllegalArgumentException e) {
            throw new BonsaiException("the " + writer.id() + " format cannot hold " + model + ": " + e.getMessage());
        } catch (IOException e) {
            throw new BonsaiException("cannot write " + out + ": " + e.getMessage());
        }
        long total = 0;
        long zeros = 0;
        for (Tensor t : file.weights().asMap().values()) {
            total += t.size();
            zeros += t.zeros();
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "wrote %s (%s, %d parameters, %.2f%% zeros)%n", out, writer.id(), total,
                100.0 * zeros / Math.max(total, 1));
        w.flush();
        return 0;
    }

    private static String notDecoder(ModelFile file) {
        try {
            DecoderConfig.of(file.spec(), "llama", 1);
            return "it is not a decoder language model a checkpoint format holds";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
