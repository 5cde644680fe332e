package dev.bonsai.experiments.descriptor;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses YAML text into {@link YamlNode}s that keep line and column. */
public final class YamlReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlReader() {
    }

    /**
     * Parses {@code text}.
     *
     * @param text     the YAML
     * @param problems receives syntax errors and duplicate keys
     * @return the root node, or null when the text is not valid YAML
     */
    public static YamlNode parse(String text, List<Problem> problems) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                problems.add(new Problem(new Location(1, 1), "(file)", "the descriptor is empty"));
                return null;
            }
            return read(parser, problems, "");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            Location where = at == null ? Location.NONE : new Location(at.getLineNr(), at.getColumnNr());
            problems.add(new Problem(where, "(syntax)", "not valid YAML: " + e.getOriginalMessage()));
            return null;
        } catch (IOException e) {
            problems.add(new Problem(Location.NONE, "(file)", "cannot read: " + e.getMessage()));
            return null;
        }
    }

    private static YamlNode read(JsonParser parser, List<Problem> problems, String path) throws IOException {
        JsonToken token = parser.currentToken();
        Location at = location(parser);
        switch (token) {
            case START_OBJECT -> {
                Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    Location keyAt = location(parser);
                    parser.nextToken();
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    YamlNode value = read(parser, problems, childPath);
                    if (entries.containsKey(key)) {
                        problems.add(new Problem(keyAt, childPath, "key '" + key + "' is given twice (first at line "
                                + entries.get(key).keyLocation().line() + ")"));
                    } else {
                        entries.put(key, new YamlNode.Entry(keyAt, value));
                    }
                }
                return new YamlNode.MapNode(at, entries);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                int i = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(parser, problems, path + "[" + i++ + "]"));
                }
                return new YamlNode.ListNode(at, items);
            }
            case VALUE_STRING -> {
                return new YamlNode.Scalar(at, parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return new YamlNode.Scalar(at, parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? (Object) parser.getText() : (Object) parser.getLongValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return new YamlNode.Scalar(at, parser.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new YamlNode.Scalar(at, parser.getBooleanValue());
            }
            case VALUE_NULL -> {
                return new YamlNode.Scalar(at, null);
            }
            default -> throw new IOException("unexpected YAML token " + token + " at " + at);
        }
    }

    private static Location location(JsonParser parser) {
        JsonLocation l = parser.currentTokenLocation();
        return new Location(l.getLineNr(), l.getColumnNr());
    }
}
