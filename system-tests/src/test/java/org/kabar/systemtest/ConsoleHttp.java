package org.kabar.systemtest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The web console spoken to over plain HTTP/1.1 on a socket from a chosen local address (the JDK's
 * HttpClient cannot pick one: this is how the tests sign in from several addresses), keeping the
 * session cookie and showing the raw headers, as an operator's curl would.
 */
final class ConsoleHttp {

  private static final Pattern VIEW_STATE =
      Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]*)\"");
  private static final Pattern MESSAGE = Pattern.compile("<li[^>]*>\\s*([^<]*?)\\s*</li>");

  /** An answer: status, headers by lower-case name, and the body. */
  record Response(int status, Map<String, List<String>> headers, String body) {

    /** The first value of a header, or null. */
    String header(String name) {
      List<String> values = headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
      return values.isEmpty() ? null : values.get(0);
    }

    /** The messages the page shows (a form's refusals). */
    List<String> messages() {
      List<String> found = new ArrayList<>();
      Matcher m = MESSAGE.matcher(body);
      while (m.find()) {
        found.add(m.group(1));
      }
      return found;
    }
  }

  private final String host;
  private final int port;
  private final String from;
  private String cookie;

  ConsoleHttp(String host, int port, String from) {
    this.host = host;
    this.port = port;
    this.from = from;
  }

  Response get(String path) throws IOException {
    return exchange("GET " + path, null);
  }

  /** Posts a Faces form: the fields, the form's own marker and the page's view state. */
  Response post(String path, String form, Map<String, String> fields, String viewState)
      throws IOException {
    Map<String, String> all = new LinkedHashMap<>(fields);
    all.put(form, form);
    all.put("jakarta.faces.ViewState", viewState);
    String body =
        all.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    return exchange("POST " + path, body);
  }

  /** The sign-in page, ready to post: its view state. */
  String signInForm() throws IOException {
    Response page = get("/admin/login.xhtml");
    Matcher state = VIEW_STATE.matcher(page.body());
    if (page.status() != 200 || !state.find()) {
      throw new AssertionError("no sign-in form: " + page.status() + "\n" + page.body());
    }
    return state.group(1);
  }

  /** Posts the sign-in form (of {@link #signInForm}) with this name and password. */
  Response signIn(String viewState, String name, String password) throws IOException {
    return post(
        "/admin/login.xhtml",
        "login",
        Map.of("login:name", name, "login:password", password, "login:submit", "Sign in"),
        viewState);
  }

  private Response exchange(String requestLine, String form) throws IOException {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(60_000);
      StringBuilder request = new StringBuilder(requestLine).append(" HTTP/1.1\r\n");
      request.append("Host: ").append(host).append(':').append(port).append("\r\n");
      request.append("Connection: close\r\n");
      if (cookie != null) {
        request.append("Cookie: ").append(cookie).append("\r\n");
      }
      byte[] body = form == null ? new byte[0] : form.getBytes(StandardCharsets.UTF_8);
      if (form != null) {
        request.append("Content-Type: application/x-www-form-urlencoded\r\n");
        request.append("Content-Length: ").append(body.length).append("\r\n");
      }
      request.append("\r\n");
      socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(body);
      socket.getOutputStream().flush();
      Response response = read(socket.getInputStream());
      String setCookie = response.header("set-cookie");
      if (setCookie != null) {
        cookie = setCookie.split(";", 2)[0];
      }
      return response;
    }
  }

  private static Response read(InputStream in) throws IOException {
    String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    int end = all.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IOException("no HTTP answer: " + all);
    }
    String[] lines = all.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers
          .computeIfAbsent(
              lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).trim());
    }
    byte[] raw = all.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1);
    List<String> encoding = headers.getOrDefault("transfer-encoding", List.of());
    byte[] body = encoding.contains("chunked") ? unchunk(raw) : raw;
    return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] unchunk(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < raw.length) {
      int lineEnd = indexOfCrlf(raw, at);
      String size = new String(raw, at, lineEnd - at, StandardCharsets.US_ASCII).split(";")[0];
      int length = Integer.parseInt(size.trim(), 16);
      if (length == 0) {
        break;
      }
      out.write(raw, lineEnd + 2, length);
      at = lineEnd + 2 + length + 2;
    }
    return out.toByteArray();
  }

  private static int indexOfCrlf(byte[] raw, int from) {
    for (int i = from; i + 1 < raw.length; i++) {
      if (raw[i] == '\r' && raw[i + 1] == '\n') {
        return i;
      }
    }
    throw new IllegalStateException("a chunk without its size line");
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
