package io.medsam.stream.viewer.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Reading requests (bounded bodies, JSON, query strings) and writing answers. */
final class Exchanges {

  static final ObjectMapper JSON = new ObjectMapper();

  private Exchanges() {}

  /**
   * Reads the body as JSON, refusing more than {@code maxBytes} (by its Content-Length before
   * reading, or while reading a body sent without one).
   *
   * @throws ApiException 413 when too large, 400 when not a JSON object
   */
  static JsonNode jsonBody(final HttpExchange ex, final int maxBytes)
      throws ApiException, IOException {
    // a page of another origin cannot send application/json without a CORS preflight, which this
    // server never grants: no other web site can publish through a clinician's browser
    final String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new ApiException(415, "send the request body as application/json");
    }
    final String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > maxBytes) {
          throw tooLarge(maxBytes);
        }
      } catch (NumberFormatException e) {
        throw new ApiException(400, "bad Content-Length: " + length);
      }
    }
    final byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readNBytes(maxBytes + 1);
    }
    if (body.length > maxBytes) {
      throw tooLarge(maxBytes);
    }
    try {
      final JsonNode node = JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw new ApiException(400, "the request body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new ApiException(400, "the request body is not JSON: " + e.getOriginalMessage());
    }
  }

  private static ApiException tooLarge(final int maxBytes) {
    return new ApiException(
        413, "request body too large: the viewer takes at most " + maxBytes + " bytes");
  }

  /**
   * The query string's parameters (last value wins).
   *
   * @throws ApiException 400 when it is not URL-encoded
   */
  static Map<String, String> query(final HttpExchange ex) throws ApiException {
    final Map<String, String> q = new HashMap<>();
    final String raw = ex.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (final String pair : raw.split("&")) {
      final int eq = pair.indexOf('=');
      final String k = eq < 0 ? pair : pair.substring(0, eq);
      final String v = eq < 0 ? "" : pair.substring(eq + 1);
      q.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return q;
  }

  /**
   * @throws ApiException 400 when the parameter is missing
   */
  static String required(final Map<String, String> query, final String name) throws ApiException {
    final String v = query.get(name);
    if (v == null || v.isBlank()) {
      throw new ApiException(400, "missing query parameter '" + name + "'");
    }
    return v;
  }

  /**
   * @throws ApiException 400 when the field is missing or not text
   */
  static String text(final JsonNode body, final String field) throws ApiException {
    final JsonNode v = body.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new ApiException(400, "missing text field '" + field + "'");
    }
    return v.asText();
  }

  static void json(final HttpExchange ex, final int status, final Object value) throws IOException {
    bytes(ex, status, "application/json; charset=utf-8", JSON.writeValueAsBytes(value), Map.of());
  }

  static void bytes(
      final HttpExchange ex,
      final int status,
      final String contentType,
      final byte[] body,
      final Map<String, String> headers)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }
}
