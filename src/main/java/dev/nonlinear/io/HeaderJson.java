package dev.nonlinear.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser for the part of JSON that file headers use: objects, arrays, strings, whole
 * numbers, {@code true}, {@code false} and {@code null}. Objects become {@link LinkedHashMap}s
 * in file order, arrays {@link List}s, numbers {@link Long}s. Fractions and exponents are
 * rejected (no header field this library reads needs them), as are duplicate keys (a reader
 * that kept the first and one that kept the last would see different files) and nesting deeper
 * than {@value #MAX_DEPTH}.
 */
final class HeaderJson {

  /** Headers need three levels; the cap keeps hostile input from exhausting the stack. */
  static final int MAX_DEPTH = 16;

  private final String text;
  private final String source;
  private int pos;
  private int depth;

  private HeaderJson(String text, String source) {
    this.text = text;
    this.source = source;
  }

  /**
   * The value {@code text} holds; only whitespace may follow it.
   *
   * @throws FileFormatException naming {@code source} and the character offset of the problem
   */
  static Object parse(String text, String source) throws FileFormatException {
    HeaderJson parser = new HeaderJson(text, source);
    Object value = parser.value();
    parser.skipWhitespace();
    if (parser.pos != text.length()) {
      throw parser.error("unexpected '" + text.charAt(parser.pos) + "' after the value");
    }
    return value;
  }

  private Object value() throws FileFormatException {
    skipWhitespace();
    if (pos >= text.length()) {
      throw error("unexpected end of the header");
    }
    char c = text.charAt(pos);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error("unexpected '" + c + "'");
      }
    };
  }

  private Map<String, Object> object() throws FileFormatException {
    enter();
    pos++;
    Map<String, Object> members = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      depth--;
      return members;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("expected a key in double quotes");
      }
      String key = string();
      skipWhitespace();
      expect(':');
      if (members.containsKey(key)) {
        throw error("duplicate key \"" + key + "\"");
      }
      members.put(key, value());
      skipWhitespace();
      if (peek() == ',') {
        pos++;
      } else {
        expect('}');
        depth--;
        return members;
      }
    }
  }

  private List<Object> array() throws FileFormatException {
    enter();
    pos++;
    List<Object> items = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      depth--;
      return items;
    }
    while (true) {
      items.add(value());
      skipWhitespace();
      if (peek() == ',') {
        pos++;
      } else {
        expect(']');
        depth--;
        return items;
      }
    }
  }

  private String string() throws FileFormatException {
    pos++;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw error("control character U+" + String.format("%04X", (int) c) + " in a string");
      }
      out.append(c == '\\' ? escape() : c);
    }
  }

  private char escape() throws FileFormatException {
    if (pos >= text.length()) {
      throw error("unterminated escape");
    }
    char c = text.charAt(pos++);
    return switch (c) {
      case '"', '\\', '/' -> c;
      case 'b' -> '\b';
      case 'f' -> '\f';
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      case 'u' -> unicodeEscape();
      default -> throw error("unknown escape \\" + c);
    };
  }

  private char unicodeEscape() throws FileFormatException {
    if (pos + 4 > text.length()) {
      throw error("short \\u escape");
    }
    int code = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(text.charAt(pos++), 16);
      if (digit < 0) {
        throw error("bad hex digit in a \\u escape");
      }
      code = code << 4 | digit;
    }
    return (char) code;
  }

  private Long number() throws FileFormatException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    int digitsStart = pos;
    while (peek() >= '0' && peek() <= '9') {
      pos++;
    }
    if (pos == digitsStart) {
      throw error("a number without digits");
    }
    if (pos - digitsStart > 1 && text.charAt(digitsStart) == '0') {
      throw error("a number with a leading zero");
    }
    char next = peek();
    if (next == '.' || next == 'e' || next == 'E') {
      throw error("a fraction or exponent; only whole numbers are expected in this header");
    }
    try {
      return Long.parseLong(text.substring(start, pos));
    } catch (NumberFormatException e) {
      throw error("number " + text.substring(start, pos) + " does not fit 64 bits");
    }
  }

  private Object literal(String word, Object value) throws FileFormatException {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected '" + text.charAt(pos) + "'");
    }
    pos += word.length();
    return value;
  }

  private void enter() throws FileFormatException {
    if (++depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH + " levels");
    }
  }

  private void expect(char c) throws FileFormatException {
    if (peek() != c) {
      throw error(pos >= text.length() ? "unexpected end, expected '" + c + "'"
          : "expected '" + c + "', found '" + text.charAt(pos) + "'");
    }
    pos++;
  }

  /** The character at the cursor, or NUL at the end (NUL never appears unescaped in JSON). */
  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private FileFormatException error(String problem) {
    return new FileFormatException(source, "header JSON at character " + pos + ": " + problem);
  }
}
