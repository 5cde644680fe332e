package dev.bonsai.reports.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.reports.io.NumberText;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of a {@link TrialRecord}, written with Jackson's streaming generator so the key order and the
 * number text are under our control. Jackson stays inside this class.
 */
final class RecordJson {
    static final String EXPERIMENT = "experiment";
    static final String TRIAL_ID = "trial_id";
    static final String STATUS = "status";
    static final String ERROR = "error";
    static final String MODEL = "model";
    static final String DATASET = "dataset";
    static final String STRATEGY = "strategy";
    static final String SCOPE = "scope";
    static final String STRUCTURE = "structure";
    static final String SCHEDULE = "schedule";
    static final String TARGET_SPARSITY = "target_sparsity";
    static final String ACHIEVED_SPARSITY = "achieved_sparsity";
    static final String TOTAL_PARAMETERS = "total_parameters";
    static final String NONZERO_PARAMETERS = "nonzero_parameters";
    static final String SEED = "seed";
    static final String ENGINE = "engine";
    static final String DEVICE = "device";
    static final String METRICS = "metrics";
    static final String TIMINGS = "timings";
    static final String PROVENANCE = "provenance";

    /** Every field, in the order of the record's components, which is the order they are written in. */
    static final List<String> FIELDS = List.of(EXPERIMENT, TRIAL_ID, STATUS, ERROR, MODEL, DATASET, STRATEGY, SCOPE,
            STRUCTURE, SCHEDULE, TARGET_SPARSITY, ACHIEVED_SPARSITY, TOTAL_PARAMETERS, NONZERO_PARAMETERS, SEED,
            ENGINE, DEVICE, METRICS, TIMINGS, PROVENANCE);

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private RecordJson() {
    }

    /** One record as a single-line JSON object (no line break). */
    static String toJson(TrialRecord record) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing JSON to a string failed", e);
        }
        return out.toString();
    }

    /** {@code {"trials":[...]}} on one line. */
    static String toJsonObject(List<TrialRecord> records) {
        StringWriter out = new StringWriter(512 * (records.size() + 1));
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("trials");
            g.writeStartArray();
            for (TrialRecord record : records) {
                write(g, record);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing JSON to a string failed", e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, TrialRecord r) throws IOException {
        g.writeStartObject();
        string(g, EXPERIMENT, r.experiment());
        string(g, TRIAL_ID, r.trialId());
        string(g, STATUS, r.status());
        string(g, ERROR, r.error());
        string(g, MODEL, r.model());
        string(g, DATASET, r.dataset());
        string(g, STRATEGY, r.strategy());
        string(g, SCOPE, r.scope());
        string(g, STRUCTURE, r.structure());
        string(g, SCHEDULE, r.schedule());
        g.writeFieldName(TARGET_SPARSITY);
        number(g, r.targetSparsity());
        g.writeFieldName(ACHIEVED_SPARSITY);
        number(g, r.achievedSparsity());
        g.writeNumberField(TOTAL_PARAMETERS, r.totalParameters());
        g.writeNumberField(NONZERO_PARAMETERS, r.nonzeroParameters());
        g.writeNumberField(SEED, r.seed());
        string(g, ENGINE, r.engine());
        string(g, DEVICE, r.device());
        numbers(g, METRICS, r.metrics());
        numbers(g, TIMINGS, r.timings());
        g.writeFieldName(PROVENANCE);
        g.writeStartObject();
        for (Map.Entry<String, String> e : new TreeMap<>(r.provenance()).entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, String name, String value) throws IOException {
        g.writeFieldName(name);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeString(value);
        }
    }

    private static void numbers(JsonGenerator g, String name, Map<String, Double> values) throws IOException {
        g.writeFieldName(name);
        g.writeStartObject();
        for (Map.Entry<String, Double> e : new TreeMap<>(values).entrySet()) {
            g.writeFieldName(e.getKey());
            number(g, e.getValue());
        }
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, double value) throws IOException {
        if (NumberText.isNonFinite(value)) {
            g.writeString(NumberText.format(value));
        } else {
            g.writeNumber(NumberText.format(value));
        }
    }

    /**
     * Parses one line.
     *
     * @throws IllegalArgumentException whose message says what is wrong with it
     */
    static TrialRecord fromJson(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + firstLine(e.getOriginalMessage()), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new IllegalArgumentException("empty line");
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("not a JSON object but " + kind(root));
        }
        for (String field : FIELDS) {
            if (!root.has(field)) {
                throw new IllegalArgumentException("missing field '" + field + "'");
            }
        }
        return new TrialRecord(
                requiredText(root, EXPERIMENT),
                requiredText(root, TRIAL_ID),
                requiredText(root, STATUS),
                text(root, ERROR),
                text(root, MODEL),
                text(root, DATASET),
                text(root, STRATEGY),
                text(root, SCOPE),
                text(root, STRUCTURE),
                text(root, SCHEDULE),
                number(root.get(TARGET_SPARSITY), TARGET_SPARSITY),
                number(root.get(ACHIEVED_SPARSITY), ACHIEVED_SPARSITY),
                integer(root, TOTAL_PARAMETERS),
                integer(root, NONZERO_PARAMETERS),
                integer(root, SEED),
                text(root, ENGINE),
                text(root, DEVICE),
                numbers(root, METRICS),
                numbers(root, TIMINGS),
                strings(root, PROVENANCE));
    }

    private static String requiredText(JsonNode root, String field) {
        String value = text(root, field);
        if (value == null) {
            throw new IllegalArgumentException("field '" + field + "' is null");
        }
        return value;
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' is " + kind(node) + ", not a string");
        }
        return node.textValue();
    }

    private static double number(JsonNode node, String where) {
        if (node.isNull()) {
            return Double.NaN;
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            try {
                return NumberText.parse(node.textValue());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + where + "' is the string \"" + node.textValue()
                        + "\", not a number", e);
            }
        }
        throw new IllegalArgumentException("'" + where + "' is " + kind(node) + ", not a number");
    }

    private static long integer(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new IllegalArgumentException("field '" + field + "' is " + kind(node) + ", not a 64-bit integer");
        }
        return node.longValue();
    }

    private static Map<String, Double> numbers(JsonNode root, String field) {
        JsonNode node = object(root, field);
        Map<String, Double> values = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            values.put(e.getKey(), number(e.getValue(), field + "." + e.getKey()));
        }
        return values;
    }

    private static Map<String, String> strings(JsonNode root, String field) {
        JsonNode node = object(root, field);
        Map<String, String> values = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode value = e.getValue();
            if (value.isNull()) {
                continue;
            }
            if (!value.isValueNode()) {
                throw new IllegalArgumentException("'" + field + "." + e.getKey() + "' is " + kind(value)
                        + ", not a string");
            }
            values.put(e.getKey(), value.asText());
        }
        return values;
    }

    private static JsonNode object(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (!node.isObject()) {
            throw new IllegalArgumentException("field '" + field + "' is " + kind(node) + ", not an object");
        }
        return node;
    }

    private static String kind(JsonNode node) {
        if (node.isNull()) {
            return "null";
        }
        if (node.isIntegralNumber()) {
            return node.isBigInteger() ? "an integer too large for 64 bits" : "an integer";
        }
        if (node.isNumber()) {
            return "a decimal number";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isObject()) {
            return "an object";
        }
        return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
