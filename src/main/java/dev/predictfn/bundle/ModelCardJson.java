package dev.predictfn.bundle;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads and writes {@link ModelCard} JSON; the one place the card's encoding is decided. The
 * bundle's records carry only Jackson's annotations ({@code @JsonProperty} names such as {@code
 * model_name}), and this follows their components with jackson-core's streaming parser and
 * generator: no object mapper and no application context, so a batch task or a tool reads its card
 * without starting Micronaut. {@code GET /model} answers the same records through Micronaut Serde,
 * from the same annotations ({@code PredictApiTest} compares it with the file).
 *
 * <p>The rules are Micronaut Serde's defaults, which wrote and read every card before: a component
 * that is null, an empty string, list or map is left out; reading ignores names it does not know,
 * leaves out nothing a record requires (a missing value is null, or 0 and false for a primitive)
 * and takes a number written as a string. Whether a card makes sense is {@link ModelBundleReader}'s
 * to say.
 */
public final class ModelCardJson implements CardCodec {
  private static final JsonFactory JSON = new JsonFactory();
  private static final Map<Class<?>, Shape> SHAPES = new ConcurrentHashMap<>();

  @Override
  public ModelCard read(byte[] json) throws IOException {
    try (JsonParser parser = JSON.createParser(json)) {
      parser.nextToken();
      return (ModelCard) value(parser, ModelCard.class, "the card");
    }
  }

  @Override
  public byte[] write(ModelCard card) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try (JsonGenerator generator = JSON.createGenerator(out).useDefaultPrettyPrinter()) {
      write(generator, card);
    }
    out.write('\n');
    return out.toByteArray();
  }

  /** The value of {@code type} that starts at the parser's current token. */
  private static Object value(JsonParser parser, Type type, String where) throws IOException {
    Class<?> raw = raw(type);
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (raw == String.class) {
      if (!token.isScalarValue()) {
        throw new IOException(where + ": expected a string, found " + token.asString());
      }
      return parser.getValueAsString();
    }
    if (raw == int.class || raw == Integer.class) {
      return (int) whole(parser, where);
    }
    if (raw == long.class || raw == Long.class) {
      return whole(parser, where);
    }
    if (raw == double.class || raw == Double.class) {
      return number(parser, where);
    }
    if (raw == boolean.class || raw == Boolean.class) {
      if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
        return token == JsonToken.VALUE_TRUE;
      }
      if (token == JsonToken.VALUE_STRING && List.of("true", "false").contains(parser.getText())) {
        return Boolean.parseBoolean(parser.getText());
      }
      throw new IOException(where + ": expected true or false, found " + parser.getText());
    }
    if (raw == List.class) {
      expect(parser, JsonToken.START_ARRAY, where);
      Type element = argument(type, 0);
      List<Object> list = new ArrayList<>();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        list.add(value(parser, element, where + "[" + list.size() + "]"));
      }
      return list;
    }
    if (raw == Map.class) {
      expect(parser, JsonToken.START_OBJECT, where);
      Type valueType = argument(type, 1);
      Map<String, Object> map = new LinkedHashMap<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        parser.nextToken();
        map.put(key, value(parser, valueType, where + "." + key));
      }
      return map;
    }
    if (raw.isRecord()) {
      return record(parser, shape(raw), where);
    }
    throw new IllegalStateException("the card's encoding has no rule for " + type);
  }

  private static Object record(JsonParser parser, Shape shape, String where) throws IOException {
    expect(parser, JsonToken.START_OBJECT, where);
    Object[] values = new Object[shape.names.length];
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      Integer index = shape.index.get(parser.currentName());
      parser.nextToken();
      if (index == null) {
        parser.skipChildren(); // a name this version does not know
      } else {
        values[index] = value(parser, shape.types[index], shape.names[index]);
      }
    }
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null && shape.primitive[i] != null) {
        values[i] = shape.primitive[i];
      }
    }
    try {
      return shape.constructor.newInstance(values);
    } catch (InvocationTargetException e) {
      throw new IOException(where + ": " + e.getCause().getMessage(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long whole(JsonParser parser, String where) throws IOException {
    return parser.currentToken() == JsonToken.VALUE_NUMBER_INT
        ? parser.getLongValue()
        : (long) number(parser, where);
  }

  private static double number(JsonParser parser, String where) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      return parser.getDoubleValue();
    }
    if (token == JsonToken.VALUE_STRING) {
      try {
        return Double.parseDouble(parser.getText());
      } catch (NumberFormatException e) {
        throw new IOException(where + ": expected a number, found \"" + parser.getText() + "\"");
      }
    }
    throw new IOException(where + ": expected a number, found " + token.asString());
  }

  private static void expect(JsonParser parser, JsonToken token, String where) throws IOException {
    if (parser.currentToken() != token) {
      JsonToken found = parser.currentToken();
      throw new IOException(
          where
              + ": expected "
              + token.asString()
              + ", found "
              + (found == null ? "the end" : found.isScalarValue() ? parser.getText() : found));
    }
  }

  private static void write(JsonGenerator generator, Object value) throws IOException {
    if (value == null) {
      generator.writeNull();
    } else if (value instanceof Record) {
      Shape shape = shape(value.getClass());
      generator.writeStartObject();
      for (int i = 0; i < shape.names.length; i++) {
        Object component;
        try {
          component = shape.accessors[i].invoke(value);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
        if (!empty(component)) {
          generator.writeFieldName(shape.names[i]);
          write(generator, component);
        }
      }
      generator.writeEndObject();
    } else if (value instanceof List<?> list) {
      generator.writeStartArray();
      for (Object element : list) {
        write(generator, element);
      }
      generator.writeEndArray();
    } else if (value instanceof Map<?, ?> map) {
      generator.writeStartObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        generator.writeFieldName((String) entry.getKey());
        write(generator, entry.getValue());
      }
      generator.writeEndObject();
    } else if (value instanceof String text) {
      generator.writeString(text);
    } else if (value instanceof Integer number) {
      generator.writeNumber(number);
    } else if (value instanceof Long number) {
      generator.writeNumber(number);
    } else if (value instanceof Double number) {
      generator.writeNumber(number);
    } else if (value instanceof Boolean flag) {
      generator.writeBoolean(flag);
    } else {
      throw new IllegalStateException("the card's encoding has no rule for " + value.getClass());
    }
  }

  private static boolean empty(Object value) {
    return value == null
        || value instanceof String text && text.isEmpty()
        || value instanceof Collection<?> collection && collection.isEmpty()
        || value instanceof Map<?, ?> map && map.isEmpty();
  }

  private static Class<?> raw(Type type) {
    return type instanceof ParameterizedType parameterized
        ? (Class<?>) parameterized.getRawType()
        : (Class<?>) type;
  }

  private static Type argument(Type type, int index) {
    if (type instanceof ParameterizedType parameterized) {
      return parameterized.getActualTypeArguments()[index];
    }
    throw new IllegalStateException("the card's encoding needs the element type of " + type);
  }

  private static Shape shape(Class<?> type) {
    return SHAPES.computeIfAbsent(type, Shape::of);
  }

  /**
   * A record's JSON names (its {@code @JsonProperty} or its component's name), their types and
   * accessors in component order, and its canonical constructor.
   */
  private record Shape(
      String[] names,
      Type[] types,
      Method[] accessors,
      Object[] primitive, // the value of a missing primitive component, else null
      Map<String, Integer> index,
      Constructor<?> constructor) {

    static Shape of(Class<?> type) {
      RecordComponent[] components = type.getRecordComponents();
      int n = components.length;
      String[] names = new String[n];
      Type[] types = new Type[n];
      Method[] accessors = new Method[n];
      Object[] primitive = new Object[n];
      Class<?>[] raw = new Class<?>[n];
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < n; i++) {
        RecordComponent component = components[i];
        // @JsonProperty cannot sit on a record component; Java puts it on the accessor too.
        JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
        names[i] =
            property == null || property.value().isEmpty() ? component.getName() : property.value();
        types[i] = component.getGenericType();
        accessors[i] = component.getAccessor();
        raw[i] = component.getType();
        primitive[i] = primitiveDefault(component.getType());
        index.put(names[i], i);
      }
      try {
        return new Shape(
            names, types, accessors, primitive, index, type.getDeclaredConstructor(raw));
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(e);
      }
    }

    private static Object primitiveDefault(Class<?> type) {
      if (type == int.class) {
        return 0;
      }
      if (type == long.class) {
        return 0L;
      }
      if (type == double.class) {
        return 0.0;
      }
      return type == boolean.class ? Boolean.FALSE : null;
    }
  }
}
