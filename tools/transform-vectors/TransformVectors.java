/*
 * Writes the transform vectors: runs Kafka Connect's own transforms and
 * predicates (connect-transforms, the jars `pipe dev fetch --connect` caches)
 * over the records and cases of cases.json and prints, per case and record,
 * the JsonConverter bytes of the key, value and headers after the chain, one
 * JSON line each. pipe's transforms must reproduce every line byte for byte
 * (src/transforms/vectors.test.ts). Run by `npm run vectors:transforms`:
 *   java -Duser.timezone=UTC -cp "<connect lib>/*" TransformVectors.java cases.json
 */
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;

public class TransformVectors {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Stage(String name, Transformation<SinkRecord> transform, Predicate<SinkRecord> predicate, boolean negate) {}

    public static void main(String[] args) throws Exception {
        JsonNode root = JSON.readTree(new File(args[0]));
        JsonNode records = root.get("records");
        StringBuilder out = new StringBuilder();
        for (JsonNode c : root.get("cases")) {
            for (JsonNode schemasNode : c.get("schemas")) {
                boolean schemas = schemasNode.asBoolean();
                for (JsonNode recordName : c.get("records")) {
                    JsonNode input = records.get(recordName.asText());
                    if (input == null) throw new IllegalArgumentException("no record " + recordName);
                    out.append(JSON.writeValueAsString(vector(c, schemas, recordName.asText(), input))).append('\n');
                }
            }
        }
        System.out.print(out);
    }

    static Map<String, String> config(JsonNode node) {
        Map<String, String> config = new HashMap<>();
        if (node == null) return config;
        node.fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        return config;
    }

    @SuppressWarnings("unchecked")
    static List<Stage> chain(JsonNode c) throws Exception {
        List<Stage> stages = new ArrayList<>();
        for (JsonNode t : c.get("transforms")) {
            Transformation<SinkRecord> transform =
                (Transformation<SinkRecord>) Class.forName(t.get("type").asText()).getDeclaredConstructor().newInstance();
            transform.configure(config(t.get("config")));
            Predicate<SinkRecord> predicate = null;
            if (t.has("predicate")) {
                JsonNode p = c.get("predicates").get(t.get("predicate").asText());
                predicate = (Predicate<SinkRecord>) Class.forName(p.get("type").asText()).getDeclaredConstructor().newInstance();
                predicate.configure(config(p.get("config")));
            }
            stages.add(new Stage(t.get("name").asText(), transform, predicate, t.has("negate") && t.get("negate").asBoolean()));
        }
        return stages;
    }

    /** The record's JSON for this converter setting: the envelope with schemas, its payload without. */
    static byte[] bytes(JsonNode node, boolean schemas) throws Exception {
        if (node == null || node.isNull()) return null;
        JsonNode data = schemas ? node : node.get("payload");
        return JSON.writeValueAsBytes(data);
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    static ObjectNode vector(JsonNode c, boolean schemas, String recordName, JsonNode input) throws Exception {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", String.valueOf(schemas), "converter.type", "value"));
        JsonConverter headerConverter = new JsonConverter();
        headerConverter.configure(Map.of("schemas.enable", String.valueOf(schemas), "converter.type", "header"));

        String topic = input.get("topic").asText();
        byte[] keyBytes = bytes(input.get("key"), schemas);
        byte[] valueBytes = bytes(input.get("value"), schemas);
        SchemaAndValue key = converter.toConnectData(topic, keyBytes);
        SchemaAndValue value = converter.toConnectData(topic, valueBytes);
        ConnectHeaders headers = new ConnectHeaders();
        ArrayNode inHeaders = JSON.createArrayNode();
        if (input.has("headers")) {
            for (JsonNode h : input.get("headers")) {
                byte[] hb = bytes(h.get(1), schemas);
                SchemaAndValue hv = headerConverter.toConnectHeader(topic, h.get(0).asText(), hb);
                headers.add(h.get(0).asText(), hv);
                inHeaders.add(JSON.createArrayNode().add(h.get(0).asText()).add(text(hb)));
            }
        }
        SinkRecord record = new SinkRecord(topic, input.get("partition").asInt(), key.schema(), key.value(),
            value.schema(), value.value(), input.get("offset").asLong(), input.get("timestamp").asLong(),
            TimestampType.CREATE_TIME, headers);

        ObjectNode vector = JSON.createObjectNode();
        vector.put("case", c.get("name").asText());
        vector.put("record", recordName);
        vector.put("schemas", schemas);
        vector.set("transforms", c.get("transforms"));
        if (c.has("predicates")) vector.set("predicates", c.get("predicates"));
        ObjectNode in = vector.putObject("in");
        in.put("topic", topic);
        in.put("partition", record.kafkaPartition());
        in.put("offset", String.valueOf(record.kafkaOffset()));
        in.put("timestamp", record.timestamp());
        in.put("key", text(keyBytes));
        in.put("value", text(valueBytes));
        in.set("headers", inHeaders);

        String failedAt = null;
        try {
            for (Stage stage : chain(c)) {
                failedAt = stage.name();
                if (record == null) break;
                if (stage.predicate() == null || stage.negate() ^ stage.predicate().test(record)) {
                    record = stage.transform().apply(record);
                }
            }
            failedAt = "(converter)";
            if (record == null) {
                vector.putNull("out");
                return vector;
            }
            ObjectNode out = JSON.createObjectNode();
            out.put("topic", record.topic());
            out.put("timestamp", record.timestamp());
            out.put("key", text(converter.fromConnectData(record.topic(), record.keySchema(), record.key())));
            out.put("value", text(converter.fromConnectData(record.topic(), record.valueSchema(), record.value())));
            ArrayNode outHeaders = out.putArray("headers");
            for (Iterator<Header> it = record.headers().iterator(); it.hasNext(); ) {
                Header h = it.next();
                byte[] hb = headerConverter.fromConnectHeader(record.topic(), h.key(), h.schema(), h.value());
                outHeaders.add(JSON.createArrayNode().add(h.key()).add(text(hb)));
            }
            vector.set("out", out);
        } catch (Exception e) {
            ObjectNode error = vector.putObject("error");
            error.put("at", failedAt);
            error.put("class", e.getClass().getName());
            error.put("message", String.valueOf(e.getMessage()));
        }
        return vector;
    }
}
